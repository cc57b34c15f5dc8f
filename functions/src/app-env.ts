import type { Principal } from './auth/scopes';

/** Hono environment for the app: what middleware puts on the context. */
export interface AppEnv {
  Variables: {
    principal: Principal;
    requestId: string;
  };
}
