/**
 * The Swagger UI files the API reference page loads. The core never reads them: an entry that can (the Node
 * entry, from the swagger-ui-dist package) hands their bytes in through `deps.docsAssets`.
 */
export const DOCS_VENDOR_FILES = ['swagger-ui-bundle.js', 'swagger-ui.css'] as const;

export type DocsVendorFile = (typeof DOCS_VENDOR_FILES)[number];

/** Bytes of each vendor file (the Node entry reads each on its first request, functions/node/docs-assets.ts). */
export type DocsAssets = Readonly<Record<DocsVendorFile, Uint8Array<ArrayBuffer>>>;

/** Every file served under /docs/assets/: the vendor files and our own start-up script. */
export const DOCS_INIT_FILE = 'docs-init.js';

export type DocsFile = DocsVendorFile | typeof DOCS_INIT_FILE;

export function isDocsFile(name: string): name is DocsFile {
  return name === DOCS_INIT_FILE || (DOCS_VENDOR_FILES as readonly string[]).includes(name);
}

export function docsContentType(name: DocsFile): string {
  return name.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8';
}
