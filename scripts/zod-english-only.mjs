// An esbuild plugin for the runner's bundle (scripts/build.mjs): its idle memory (issue 12, runner ≤ 70 MB RSS; `npm run bench memory`).

/**
 * zod's `z.locales` (about 40 languages' error messages; zod/v4/classic imports them all to export them) reduced to
 * the one the runner uses, English, which zod sets as its default by itself (zod/v4/classic/schemas.js imports
 * locales/en.js directly). Nothing in the runner calls z.config or reads z.locales. The bundle 1.02 → 0.66 MB: that
 * much less source the runner holds in its heap for as long as it runs.
 */
export function zodEnglishOnly() {
  return {
    name: 'zod-english-only',
    setup(b) {
      // Imported as ../locales/index.js by zod/v4/classic and zod/v4/core; both dirs are siblings of locales/.
      b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
        args.importer.includes('/node_modules/zod/v4/') ? { path: 'en-only', namespace: 'zod-locales', pluginData: args.resolveDir } : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
        contents: 'export { default as en } from "../locales/en.js";',
        resolveDir: args.pluginData,
        loader: 'js',
      }));
    },
  };
}
