import { build } from 'esbuild';
import { ROOT } from './processes';

/** The Workers entry bundled as wrangler would (neutral platform, workerd conditions), in memory: its code. */
export async function bundleWorkerEntry(): Promise<string> {
  const out = await build({
    entryPoints: [`${ROOT}functions/worker.ts`],
    bundle: true,
    platform: 'neutral',
    format: 'esm',
    mainFields: ['module', 'main'],
    conditions: ['workerd', 'worker', 'import'],
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0]?.text ?? '';
}
