/**
 * Importing a tool folder's modules under plain node (the built dist/api.mjs and dist/runner.mjs): `.mjs` and `.js`
 * natively, `.ts` through tsx's programmatic loader (`tsx/esm/api`), registered once per process under a namespace of
 * its own so nothing else in the process is transpiled. tsx is a devDependency here: a deployment without dev
 * dependencies ships its tools package compiled to `.js`, and a `.ts` folder then fails with that advice.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Compiled files first, so a package that ships both never needs tsx. */
const EXTENSIONS = ['.mjs', '.js', '.ts'] as const;

/** A module must finish its top level in this time, or the folder is skipped (the service still starts). */
const IMPORT_TIMEOUT_MS = 10_000;

/** `definition.mjs`, `.js` or `.ts` in the folder, whichever exists first; undefined when none does. */
export function moduleFile(folder: string, base: string): string | undefined {
  return EXTENSIONS.map((ext) => join(folder, `${base}${ext}`)).find((file) => existsSync(file));
}

export const candidates = (base: string): string => EXTENSIONS.map((ext) => `${base}${ext}`).join(', ');

type Importer = (url: string) => Promise<unknown>;
let tsImporter: Promise<Importer> | undefined;

function typescriptImporter(): Promise<Importer> {
  tsImporter ??= import('tsx/esm/api').then(
    ({ register }) => {
      const scoped = register({ namespace: 'netdiag-tools-package' });
      return (url: string): Promise<unknown> => scoped.import(url, import.meta.url);
    },
    (err: unknown) => {
      tsImporter = undefined;
      throw new Error(
        `is TypeScript and tsx cannot be loaded here (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); install tsx or ship the package compiled to .js`,
      );
    },
  );
  return tsImporter;
}

/** The module's namespace object. Throws with a one-line reason (the loader logs it with the file). */
export async function importModule(file: string): Promise<Readonly<Record<string, unknown>>> {
  const url = pathToFileURL(file).href;
  const load = file.endsWith('.ts') ? typescriptImporter().then((imp) => imp(url)) : (import(url) as Promise<unknown>);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not finish loading within ${IMPORT_TIMEOUT_MS / 1000} s`)), IMPORT_TIMEOUT_MS);
  });
  try {
    const mod = await Promise.race([load, late]);
    if (typeof mod !== 'object' || mod === null) throw new Error('is not a module');
    return mod as Readonly<Record<string, unknown>>;
  } finally {
    clearTimeout(timer);
  }
}
