import { OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';
import { oneStepValidator } from './one-step-validator';
import { type ValidationResult, validationHook } from './validation-hook';

type OpenApi = OpenAPIHono<AppEnv>['openapi'];
type HonoRouter = NonNullable<NonNullable<ConstructorParameters<typeof OpenAPIHono<AppEnv>>[0]>['router']>;

/**
 * The API's OpenAPIHono: routes are declared as before (`app.openapi(createRoute(...), handler)`), documented from the
 * same route data, with the one validation hook (validation-hook.ts). What differs is only how a request is checked:
 * one middleware after the route's own (auth, rate, size) validates all of its parts with zod's synchronous parse
 * (one-step-validator.ts), where the library chains a middleware per part with zod's async parse; those were ~0.3 ms
 * of the ~0.7 ms from node-server's entry to a call's handler on a small VM (issue 12; docs/design.md, "Architecture",
 * a request's way in). A route with its own hook, or with request parts the one-step validator does not cover, is
 * registered by the library as is.
 */
export class ValidatedOpenAPIHono extends OpenAPIHono<AppEnv> {
  constructor({ hook = validationHook, router }: { hook?: (result: ValidationResult) => void; router?: HonoRouter } = {}) {
    super(router ? { defaultHook: hook, router } : { defaultHook: hook });
    const library = this.openapi;
    const oneStep = ((config: RouteConfig, handler: Parameters<OpenApi>[1], routeHook?: Parameters<OpenApi>[2]) => {
      const validate = routeHook ? undefined : oneStepValidator(config.request, hook);
      if (!validate) return library(config, handler, routeHook);
      const { middleware, hide, ...route } = config;
      // Documented exactly as the library would (it registers the route without `middleware` and `hide`) ...
      if (!hide) this.openAPIRegistry.registerPath(route);
      const own: MiddlewareHandler[] = middleware ? (Array.isArray(middleware) ? middleware : [middleware]) : [];
      // ... and served with the one validator after the route's own middleware, the library adding none (no `request`).
      const { request: _validatedHere, ...served } = route;
      return library({ ...served, hide: true, middleware: [...own, validate] }, handler);
    }) as OpenApi;
    this.openapi = oneStep;
  }
}
