import { DOCS_INIT_FILE } from './assets';

export const DOCS_PATH = '/docs';
export const DOCS_ASSETS_PATH = '/docs/assets';
export const OPENAPI_PATH = '/openapi.json';

/**
 * Content-Security-Policy of the page: scripts and styles only from this origin (no inline code, no eval),
 * the spec fetched from this origin, images only from here or the stylesheet's data: icons, nothing framed,
 * no forms, no <base>. No external host appears anywhere.
 */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers of the HTML page. */
export const DOCS_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': DOCS_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'private, no-cache',
};

/** Headers of the files under /docs/assets/ (they may need a token, MCP_DOCS_PUBLIC=false, so no shared cache may keep them). */
export const DOCS_ASSET_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'cache-control': 'private, max-age=3600',
};

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);

/** The page: no inline script or style, so the CSP above needs no exceptions. The empty data: icon avoids a favicon request. */
export function docsPageHtml(title: string): string {
  const t = escapeHtml(title);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t} — reference</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${DOCS_ASSETS_PATH}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${DOCS_ASSETS_PATH}/swagger-ui-bundle.js"></script>
<script src="${DOCS_ASSETS_PATH}/${DOCS_INIT_FILE}"></script>
</body>
</html>
`;
}

/**
 * Starts Swagger UI on the spec from GET /openapi.json. "Authorize" takes a bearer token (the spec's bearerAuth
 * scheme) that "Try it out" sends to this origin only (CSP connect-src 'self'); it is kept in page memory, never in
 * storage. No validator badge (it would call validator.swagger.io), no configuration taken from the query string.
 */
export const DOCS_INIT_SCRIPT = `'use strict';
window.ui = SwaggerUIBundle({
  url: ${JSON.stringify(OPENAPI_PATH)},
  dom_id: '#swagger-ui',
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
  docExpansion: 'list',
  deepLinking: false,
  queryConfigEnabled: false,
  validatorUrl: null,
  persistAuthorization: false,
  withCredentials: false,
});
`;
