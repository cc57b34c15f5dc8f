import { build } from 'esbuild';
import { ROOT } from './processes';

/**
 * The Swagger UI files the entry imports as Data modules (wrangler.toml `[[rules]]`, functions/workers/docs-assets.ts):
 * wrangler uploads each as its own module and leaves the import in the code, so this bundle does the same.
 */
const DOCS_DATA_MODULES = /^swagger-ui-dist\/swagger-ui(-bundle\.js|\.css)$/;

/** The Workers entry bundled as wrangler would (neutral platform, workerd conditions), in memory: its code. */
export async function bundleWorkerEntry(): Promise<string> {
  const out = await build({
    entryPoints: [`${ROOT}functions/worker.ts`],
    bundle: true,
    platform: 'neutral',
    format: 'esm',
    mainFields: ['module', 'main'],
    conditions: ['workerd', 'worker', 'import'],
    // The runtime's own modules (the Durable Object base class), as wrangler leaves them.
    external: ['cloudflare:*'],
    plugins: [{ name: 'docs-data-modules', setup: (b) => b.onResolve({ filter: DOCS_DATA_MODULES }, (args) => ({ path: args.path, external: true })) }],
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0]?.text ?? '';
}
