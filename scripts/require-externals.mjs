// An esbuild plugin for the runner's bundle (scripts/build.mjs): its idle memory (issue 12, runner ≤ 70 MB RSS; `npm run bench memory`).

import { createRequire } from 'node:module';

const requireHere = createRequire(import.meta.url);
/** A name an ES module can bind (`let x;` compiles): identifiers, not reserved words. */
const bindable = (name) => {
  try {
    return name !== 'default' && /^[A-Za-z_$][\w$]*$/.test(name) && typeof new Function(`let ${name};`) === 'function';
  } catch {
    return false;
  }
};

/** Defines `__netdiagRequire` at the top of an ES module bundle; `requireExternals` needs it. */
export const REQUIRE_BANNER =
  'import { createRequire as __netdiagCreateRequire } from "node:module";\nconst __netdiagRequire = __netdiagCreateRequire(import.meta.url);';

/**
 * `import … from '<package>'` of the CommonJS packages named becomes `__netdiagRequire('<package>')`; the package
 * still loads from node_modules, the same file Node's own `import` would load (for ws: index.js, which its ESM
 * wrapper re-exports). Why: Node 20 imports a
 * CommonJS package into an ES module through its ESM loader's CommonJS translator, which first scans the package's
 * source for export names with cjs-module-lexer, and the first time costs several MB of RSS for good (a bare ES module
 * importing ipaddr.js: 42.2 → 50.8 MB idle, requiring it through createRequire: 42.6 MB; the runner 66.9–68.2 →
 * 62.5–62.7 MB). ESM-only packages must not be listed (require() of ES modules needs Node 22); dynamic import() is
 * left alone.
 */
export function requireExternals(packages) {
  const names = new Set(packages);
  const packageOf = (spec) =>
    spec
      .split('/')
      .slice(0, spec.startsWith('@') ? 2 : 1)
      .join('/');
  return {
    name: 'require-externals',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) =>
        args.kind === 'import-statement' && names.has(packageOf(args.path)) ? { path: args.path, namespace: 'require-external' } : undefined,
      );
      // An ES module like the one Node makes of a CommonJS package: `default` is module.exports, and each export name
      // is bound once to its value at load (read here by requiring the package). Plain bindings, not esbuild's
      // CommonJS interop, whose getters would run on every use of an import.
      b.onLoad({ filter: /.*/, namespace: 'require-external' }, (args) => {
        const exported = Object.keys(requireHere(args.path)).filter(bindable);
        const spec = JSON.stringify(args.path);
        return { contents: `const m = __netdiagRequire(${spec});\nexport default m;\nexport const { ${exported.join(', ')} } = m;\n`, loader: 'js' };
      });
    },
  };
}
