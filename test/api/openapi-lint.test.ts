import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/processes';

// The committed spec as a product: Redocly CLI with the committed redocly.yaml (and its ignore file), then what
// the linter's rules cannot say about this API's conventions. docs/design.md, "API".

interface Operation {
  operationId?: string;
  tags?: string[];
  summary?: string;
  security?: unknown[];
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string }; example?: unknown }> }>;
}
const doc = JSON.parse(readFileSync(`${ROOT}openapi/openapi.json`, 'utf8')) as {
  tags?: Array<{ name: string; description?: string }>;
  paths: Record<string, Record<string, Operation>>;
};
const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })),
);

/** Warnings the lint may report (each in the note of the change that accepted it); anything else fails. */
const ACCEPTED_WARNINGS = ['info-contact'];

describe('redocly lint openapi/openapi.json', () => {
  it('reports zero errors and only the accepted warnings', () => {
    const run = spawnSync(process.execPath, [`${ROOT}node_modules/@redocly/cli/bin/cli.js`, 'lint', 'openapi/openapi.json', '--format=json'], {
      cwd: ROOT,
      encoding: 'utf8',
      // Nothing may leave the machine: no usage telemetry, no update check.
      env: {
        PATH: process.env['PATH'] ?? '/usr/bin:/bin',
        REDOCLY_TELEMETRY: 'off',
        REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
        REDOCLY_SUPPRESS_NOTIFICATIONS: 'true',
        CI: 'true',
      },
      timeout: 60_000,
    });
    const report = JSON.parse(run.stdout) as {
      totals: { errors: number; warnings: number };
      problems: Array<{ ruleId: string; severity: string; message: string }>;
    };
    const errors = report.problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId}: ${p.message}`);
    expect(errors).toEqual([]);
    expect(report.totals.errors).toBe(0);
    expect([...new Set(report.problems.map((p) => p.ruleId))].filter((r) => !ACCEPTED_WARNINGS.includes(r))).toEqual([]);
  });
});

describe('the conventions of every operation', () => {
  it('has a unique operationId in snake_case, a declared and described tag, and a summary', () => {
    const ids = operations.map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const declared = new Map((doc.tags ?? []).map((t) => [t.name, t.description ?? '']));
    for (const { key, op } of operations) {
      expect(op.operationId, key).toMatch(/^[a-z][a-z0-9_]*$/i);
      expect(op.tags?.length, key).toBe(1);
      const tag = op.tags?.[0] ?? '';
      expect(declared.get(tag) ?? `tag "${tag}" is not declared`, key).toMatch(/^(?!tag ").*\w/);
      expect(op.summary, key).toMatch(/\w/);
    }
  });

  it('documents its 4xx answers with the one error schema and an example (GET /livez, open and without input, has none)', () => {
    for (const { key, op } of operations) {
      const clientErrors = Object.entries(op.responses).filter(([status]) => /^4/.test(status));
      if (key === 'GET /livez') {
        expect(clientErrors).toEqual([]);
        continue;
      }
      expect(clientErrors.length, key).toBeGreaterThan(0);
      for (const [status, response] of clientErrors)
        expect(response.content?.['application/json']?.schema?.$ref, `${key} ${status}`).toBe('#/components/schemas/ErrorBody');
    }
  });

  it('names its JSON bodies as components: no anonymous copy of a component, and inline bodies only where still listed', () => {
    const components = (doc as { components?: { schemas?: Record<string, unknown> } }).components?.schemas ?? {};
    const named = new Set(Object.values(components).map((c) => JSON.stringify(c)));
    // Every JSON body is a named component now (issue 14, "The spec as a product"); keep this list empty.
    const STILL_INLINE: string[] = [];
    const inline: string[] = [];
    for (const { key, op } of operations) {
      const bodies: Array<[string, { $ref?: string } | undefined]> = Object.entries(op.responses).map(([status, r]) => [
        `${key} ${status}`,
        r.content?.['application/json']?.schema,
      ]);
      bodies.push([
        `${key} request`,
        (op as { requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> } }).requestBody?.content?.['application/json']?.schema,
      ]);
      for (const [where, schema] of bodies) {
        if (schema === undefined || schema.$ref !== undefined) continue;
        expect(named.has(JSON.stringify(schema)), `${where} copies a component`).toBe(false);
        inline.push(where);
      }
    }
    expect(inline.filter((w) => !STILL_INLINE.includes(w))).toEqual([]);
  });

  it('shows an example for its request body and for every success body (Swagger UI, generated clients)', () => {
    const missing: string[] = [];
    for (const { key, op } of operations) {
      const request = (op as { requestBody?: { content?: Record<string, { example?: unknown; examples?: unknown }> } }).requestBody?.content ?? {};
      const success = Object.entries(op.responses).filter(([status]) => /^2/.test(status));
      const bodies = [
        ...Object.entries(request).map(([type, media]) => [`${key} request ${type}`, media] as const),
        ...success.flatMap(([status, r]) => Object.entries(r.content ?? {}).map(([type, media]) => [`${key} ${status} ${type}`, media] as const)),
      ];
      for (const [where, media] of bodies)
        if ((media as { example?: unknown; examples?: unknown }).example === undefined && !('examples' in media)) missing.push(where);
    }
    expect(missing).toEqual([]);
  });

  it('needs a bearer token unless it is one of the open ones', () => {
    const open = operations.filter(({ op }) => (op.security ?? []).length === 0 || (op.security ?? []).some((r) => Object.keys(r as object).length === 0));
    expect(open.map((o) => o.key).sort()).toEqual(['GET /docs', 'GET /livez', 'GET /openapi.json']);
  });
});
