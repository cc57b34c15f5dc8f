// What vitest.workers.config.ts hands the workerd specs (`test.provide`, read with `inject`): workerd has no file
// system, so facts about files on disk are worked out in Node and passed in.
export {};

declare module 'vitest' {
  export interface ProvidedContext {
    /** SHA-256 (hex) of each Swagger UI file as installed in node_modules/swagger-ui-dist. */
    swaggerUiSha256: Record<string, string>;
  }
}
