import { type ErrorCode, type ErrorInfo, type ErrorStatus, HTTP_STATUS_BY_CODE, errorInfo } from '../../shared/errors/codes';

/** The one error class the API throws on purpose; `app.onError` turns it into the envelope. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly info: ErrorInfo;
  readonly status: ErrorStatus;
  readonly headers: Readonly<Record<string, string>>;

  constructor(info: ErrorInfo, headers: Record<string, string> = {}) {
    // Deliberate refusals are answers, not bugs: skip the stack trace (a measurable share of a refused call).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(info.message);
    Error.stackTraceLimit = limit;
    this.info = info;
    this.status = HTTP_STATUS_BY_CODE[info.code];
    this.headers = headers;
  }

  static of(code: ErrorCode, message: string, options: { recoverySuggestion?: string; details?: Record<string, unknown> } = {}): ApiError {
    return new ApiError(errorInfo(code, message, options));
  }
}
