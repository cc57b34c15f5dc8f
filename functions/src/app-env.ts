import type { Context as OtelContext } from '@opentelemetry/api';
import type { Principal } from './auth/scopes';

/** Hono environment for the app: what middleware puts on the context. */
export interface AppEnv {
  Variables: {
    principal: Principal;
    requestId: string;
    /** Set by POST /runner/claim when it answers without a job: the request log writes such routine polls at debug. */
    idleClaim?: boolean;
    /** The request span's trace context, made on first call (telemetry/http-telemetry.ts); read through telemetry/request-trace.ts. */
    traceContext?: () => OtelContext;
  };
}
