import { type OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';
import { requireScope } from '../auth/require-scope';
import type { AppDeps } from '../deps';
import { DOCS_INIT_FILE, docsContentType, isDocsFile } from '../docs/assets';
import { DOCS_ASSETS_PATH, DOCS_ASSET_HEADERS, DOCS_INIT_SCRIPT, DOCS_PAGE_HEADERS, DOCS_PATH, OPENAPI_PATH, docsPageHtml } from '../docs/page';
import { ApiError } from '../errors/api-error';
import { bearer, errorResponses, jsonBody } from '../schemas/responses';
import { API_EXAMPLES as EX } from '../schemas/api-examples';

export interface DocsOptions {
  /** Shown as the page title. */
  title: string;
  /** The app's OpenAPI document; built on the first request, once every route is registered. */
  document: () => object;
}

const OpenApiDocumentSchema = z
  .looseObject({ openapi: z.string(), info: z.looseObject({ title: z.string(), version: z.string() }), paths: z.record(z.string(), z.unknown()) })
  .meta({ id: 'OpenApiDocument' });

const noPage = (): ApiError =>
  ApiError.of('NOT_FOUND', 'This deployment does not serve the API reference page: the Swagger UI files (swagger-ui-dist) are not available to it.', {
    recoverySuggestion: `Fetch the OpenAPI document from GET ${OPENAPI_PATH}, or install swagger-ui-dist and restart.`,
  });

/**
 * GET /openapi.json (the live document), GET /docs (Swagger UI on it) and the page's files under /docs/assets/.
 * Public by default (MCP_DOCS_PUBLIC): a browser cannot send a bearer header, and the reference holds no secret;
 * calls made from the page ("Authorize", then "Try it out") need a token like any others. With
 * MCP_DOCS_PUBLIC=false all three need `tools:read`. Tokens never go in URLs. docs/security.md, "Service".
 */
export function registerDocs(app: OpenAPIHono<AppEnv>, deps: AppDeps, options: DocsOptions): void {
  const readScope: MiddlewareHandler<AppEnv> = deps.settings.docsPublic ? (_c, next) => next() : requireScope(deps.tokens, 'tools:read');
  // `{}`: no credentials needed; the bearer alternative is what MCP_DOCS_PUBLIC=false asks for.
  const security = deps.settings.docsPublic ? [{}, ...bearer] : bearer;
  let document: z.infer<typeof OpenApiDocumentSchema> | undefined;

  const spec = createRoute({
    method: 'get',
    path: OPENAPI_PATH,
    operationId: 'get_openapi_document',
    tags: ['docs'],
    summary: 'This API described in OpenAPI 3.1',
    security,
    middleware: [readScope],
    responses: { 200: jsonBody(OpenApiDocumentSchema, 'The OpenAPI document', EX.openapi), ...errorResponses(401, 403) },
  });
  app.openapi(spec, (c) => {
    document ??= OpenApiDocumentSchema.parse(options.document());
    return c.json(document, 200);
  });

  const page = createRoute({
    method: 'get',
    path: DOCS_PATH,
    operationId: 'get_docs',
    tags: ['docs'],
    summary: 'API reference page (Swagger UI); 404 where the UI files are not available',
    security,
    middleware: [readScope],
    responses: { 200: { description: 'HTML page', content: { 'text/html': { schema: z.string(), example: EX.docsHtml } } }, ...errorResponses(401, 403, 404) },
  });
  const html = docsPageHtml(options.title);
  app.openapi(page, (c) => {
    if (!deps.docsAssets) throw noPage();
    return c.html(html, 200, DOCS_PAGE_HEADERS);
  });

  // The page's own files: an implementation detail of /docs, so not part of the described API.
  app.get(`${DOCS_ASSETS_PATH}/:file`, readScope, (c) => {
    const assets = deps.docsAssets;
    if (!assets) throw noPage();
    const file = c.req.param('file');
    if (!isDocsFile(file)) throw ApiError.of('NOT_FOUND', `No docs file ${file}.`, { recoverySuggestion: `Open ${DOCS_PATH}; it loads what it needs.` });
    const body = file === DOCS_INIT_FILE ? DOCS_INIT_SCRIPT : assets[file];
    return c.body(body, 200, { ...DOCS_ASSET_HEADERS, 'content-type': docsContentType(file) });
  });
}
