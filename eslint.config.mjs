// Lint rules and the import boundaries of docs/design.md, "Kernel and boundaries". `npm test` runs this.
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/** Where each part may not reach. Paths are repository-relative; imports are resolved to files first. */
const API_OWN = ['./functions/src', './functions/node', './functions/node.ts', './functions/worker.ts', './functions/workers'];
const RUNNER_ONLY = [
  './runner',
  './functions/tools/executors.ts',
  './functions/tools/*/executor.ts',
  './functions/tools/*/parse.ts',
  './functions/tools/common',
];

/** One zone per `from` entry: the rule wants a zone's `from` to be all globs or all plain paths. */
const zones = (target, from, message) => from.map((f) => ({ target, from: f, message }));

export const boundaryZones = [
  // The runner and the shim use the kernel, the tools, the MCP server (shim) and the generated client: never the API's own code.
  ...zones('./runner', API_OWN, 'The runner imports the kernel (functions/shared), the tools and openapi/ only.'),
  ...zones('./shim', [...API_OWN, ...RUNNER_ONLY], 'The shim imports the kernel, the MCP server (functions/mcp), pure tool definitions and openapi/ only.'),
  // The kernel depends on nothing of the project's parts, and its runtime-neutral part not on its Node-only corner.
  ...zones(
    './functions/shared',
    [...API_OWN, './functions/mcp', './functions/tools', './runner', './shim'],
    'The kernel (functions/shared) imports nothing of the API, the MCP server, the tools, the runner or the shim.',
  ),
  ...zones(
    ['./functions/shared/!(node)/**', './functions/shared/*.ts'],
    ['./functions/shared/node'],
    'Runtime-neutral kernel code must not import functions/shared/node (Node only).',
  ),
  ...zones(
    './functions/mcp',
    [...API_OWN, ...RUNNER_ONLY, './shim'],
    'The MCP server is shared by the shim and /mcp: kernel, pure tool parts and openapi/ only.',
  ),
  ...zones('./functions/tools', [...API_OWN, './functions/mcp', './runner', './shim'], 'Tool folders use the kernel only.'),
  // The API (any runtime) takes the pure part of tools only; running them is the runner's business.
  ...zones(['./functions/src', './functions/worker.ts', './functions/workers'], [...RUNNER_ONLY, './shim'], 'The API never imports runner code or executors.'),
  // The core stays runtime-neutral: the Workers runtime's code (cloudflare:workers, the Durable Object) lives in functions/workers.
  ...zones(
    './functions/src',
    ['./functions/workers', './functions/worker.ts', './functions/node', './functions/node.ts'],
    'functions/src is runtime-neutral: it imports no entry or runtime-specific code.',
  ),
];

export default tseslint.config(
  { ignores: ['dist/**', 'openapi/dist/**', 'node_modules/**', 'openapi/schema.d.ts', 'coverage/**', '.netdiag/**', '.wrangler/**'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mts', '**/*.mjs'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })] },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'import-x/no-restricted-paths': ['error', { zones: boundaryZones }],
      'import-x/first': 'error',
      'import-x/no-duplicates': ['error', { 'prefer-inline': true }],
    },
  },
  {
    // Tool code and the pipeline that calls it: defineTool/defineExecutor carry the parameter types.
    files: ['functions/tools/**/*.ts', 'functions/shared/**/*.ts', 'runner/**/*.ts', 'examples/**/*.ts', 'functions/src/routes/tool-execute.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'TSAsExpression > TSNeverKeyword.typeAnnotation', message: 'No `as never`: let the helpers carry the types.' },
      ],
    },
  },
  {
    // stdout is the MCP protocol in the shim: logs go to stderr through its logger.
    files: ['shim/**/*.ts', 'functions/mcp/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    // Tests may cast hostile input through the types on purpose, and a test beside one part may drive another
    // (a tool's test through the runner's config); runner and shim tests still never reach the API's own code.
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      // Tests look for control characters in sanitised output on purpose.
      'no-control-regex': 'off',
      'import-x/no-restricted-paths': ['error', { zones: boundaryZones.filter((z) => z.target === './runner' || z.target === './shim') }],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'examples/**/*.mjs', 'eslint.config.mjs'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        fetch: 'readonly',
        AbortSignal: 'readonly',
      },
    },
  },
);
