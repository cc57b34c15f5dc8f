import type { Principal } from './auth/scopes';

/** Hono environment for the app: what middleware puts on the context. */
export interface AppEnv {
  Variables: {
    principal: Principal;
    requestId: string;
    /** Set by POST /runner/claim when it answers without a job: the request log writes such routine polls at debug. */
    idleClaim?: boolean;
  };
}
