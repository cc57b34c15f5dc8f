import type { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { AnswerTap } from './answer-tap';
import type { QuietCalls } from './quiet-calls';

/** One stateful /mcp session: its transport, who opened it, and how to end it. */
export interface McpSession {
  id: string;
  /** The principal that initialised it; requests from anyone else are answered as if it did not exist. */
  principal: string;
  transport: WebStandardStreamableHTTPServerTransport;
  /** Answers a POST of one request as JSON when its final response comes first (answer-tap.ts); absent: single-answer.ts. */
  answers?: AnswerTap | undefined;
  /** Answers a POST of one quiet tools/call without the SDK transport (quiet-calls.ts); absent: every POST goes through it. */
  quiet?: QuietCalls | undefined;
  lastSeen: number;
  close(): Promise<void>;
}

export interface McpSessionLimits {
  max: number;
  idleMs: number;
}

/**
 * Open /mcp sessions, bounded in number and idle time. Idle sessions are swept when a new one is asked for (no
 * timers, so it behaves the same on every runtime); closeAll ends them at shutdown.
 */
export class McpSessions {
  private readonly sessions = new Map<string, McpSession>();

  constructor(
    private readonly limits: McpSessionLimits,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.sessions.size;
  }

  add(session: Omit<McpSession, 'lastSeen'>): void {
    this.sessions.set(session.id, { ...session, lastSeen: this.now() });
  }

  /** The session, if it exists and belongs to `principal`; marks it used. */
  find(id: string, principal: string): McpSession | undefined {
    const s = this.sessions.get(id);
    if (!s || s.principal !== principal) return undefined;
    s.lastSeen = this.now();
    return s;
  }

  /** Forget a session (its transport closed); does not close it. */
  remove(id: string): void {
    this.sessions.delete(id);
  }

  /** Close idle sessions, then say whether another fits. */
  async hasRoom(): Promise<boolean> {
    const cutoff = this.now() - this.limits.idleMs;
    const idle = [...this.sessions.values()].filter((s) => s.lastSeen < cutoff);
    await Promise.all(idle.map((s) => this.end(s)));
    return this.sessions.size < this.limits.max;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => this.end(s)));
  }

  private async end(s: McpSession): Promise<void> {
    this.sessions.delete(s.id);
    await s.close().catch(() => undefined);
  }
}
