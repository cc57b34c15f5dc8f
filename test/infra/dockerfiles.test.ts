// The images, checked statically with a real Dockerfile parser (docs/design.md, "Deployment").
import type { Dockerfile, Instruction } from 'dockerfile-ast';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROOT, dockerfile, npmScript } from './infra-files';

const IMAGES = [
  { file: 'infra/docker/api.Dockerfile', script: 'start:api', health: 'api' },
  { file: 'infra/docker/runner.Dockerfile', script: 'start:runner', health: 'runner' },
] as const;

/** The instructions of the last stage (the image that runs). */
function finalStage(d: Dockerfile): Instruction[] {
  const all = d.getInstructions();
  const lastFrom = all.map((i) => i.getKeyword()).lastIndexOf('FROM');
  return all.slice(lastFrom);
}

/** The exec-form JSON of CMD, ENTRYPOINT or HEALTHCHECK CMD; shell form is refused (no shell, signals reach node). */
function execForm(i: Instruction | undefined): string[] {
  if (i === undefined) throw new Error('instruction missing');
  const text = i.getArgumentsContent() ?? '';
  const json = i.getKeyword() === 'HEALTHCHECK' ? text.replace(/^CMD\s+/, '') : text;
  const parsed = JSON.parse(json) as unknown;
  if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === 'string')) throw new Error(`${i.getKeyword()} is not exec form: ${text}`);
  return parsed as string[];
}

const last = (stage: Instruction[], keyword: string): Instruction | undefined => stage.filter((i) => i.getKeyword() === keyword).at(-1);

/** The whole instruction as written, flags included (getArgumentsContent leaves COPY's flags out). */
const text = (i: Instruction | undefined): string => i?.getTextContent() ?? '';

describe.each(IMAGES)('$file', ({ file, script, health }) => {
  const d = dockerfile(file);
  const stage = finalStage(d);

  it('is multi-stage on a pinned Node 20 bookworm-slim base, building in its own stage', () => {
    const froms = d.getFROMs();
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const f of froms) {
      expect(f.getImageName()).toBe('node');
      expect(f.getImageTag()).toMatch(/^20\.\d+-bookworm-slim$/);
    }
    const runs = d.getInstructions().filter((i) => i.getKeyword() === 'RUN');
    expect(runs.some((r) => /\bnpm ci\b/.test(r.getArgumentsContent() ?? ''))).toBe(true);
    expect(runs.some((r) => /\bnpm run build\b/.test(r.getArgumentsContent() ?? ''))).toBe(true);
    // The runtime stage installs production dependencies only: no npm ci / build in it.
    const runtimeRuns = stage.filter((i) => i.getKeyword() === 'RUN').map((r) => r.getArgumentsContent() ?? '');
    expect(runtimeRuns.some((r) => /\bnpm (ci|install|run build)\b/.test(r))).toBe(false);
    const deps = d.getInstructions().find((i) => i.getKeyword() === 'RUN' && /npm ci --omit=dev/.test(i.getArgumentsContent() ?? ''));
    expect(deps).toBeDefined();
  });

  it('runs as a numeric non-root user (so runAsNonRoot can verify it)', () => {
    const user = last(stage, 'USER')?.getArgumentsContent() ?? '';
    const [uid] = user.split(':');
    expect(uid).toMatch(/^\d+$/);
    expect(Number(uid)).toBeGreaterThan(0);
  });

  it('runs exactly the command `npm run ' + script + '` runs', () => {
    expect(execForm(last(stage, 'CMD'))).toEqual(npmScript(script));
  });

  it('has a HEALTHCHECK on /livez without curl', () => {
    const argv = execForm(last(stage, 'HEALTHCHECK'));
    expect(argv).toEqual(['node', 'scripts/healthcheck.mjs', health]);
  });

  it('copies only built files and the two scripts into the runtime stage, never the sources', () => {
    const copies = stage.filter((i) => i.getKeyword() === 'COPY').map(text);
    expect(copies.every((c) => /--from=/.test(c))).toBe(true);
    expect(copies.some((c) => /scripts\/start-process\.mjs/.test(c) && /scripts\/healthcheck\.mjs/.test(c))).toBe(true);
  });
});

describe('runner image', () => {
  const d = dockerfile('infra/docker/runner.Dockerfile');
  const stage = finalStage(d);
  const installs = stage
    .filter((i) => i.getKeyword() === 'RUN')
    .map((i) => i.getArgumentsContent() ?? '')
    .join(' ');

  it('installs the diagnostic binaries and tini, and strips setuid bits', () => {
    for (const pkg of ['tini', 'iputils-ping', 'nmap', 'traceroute', 'dnsutils', 'mtr-tiny']) expect(installs).toMatch(new RegExp(`\\b${pkg}\\b`));
    expect(installs).toMatch(/--no-install-recommends/);
    expect(installs).toMatch(/-perm \/6000 -exec chmod a-s/);
  });

  it('runs under tini as PID 1 so orphans are reaped (issue 16)', () => {
    expect(execForm(last(stage, 'ENTRYPOINT'))).toEqual(['/usr/bin/tini', '--']);
  });

  it('builds the sandbox helper with gcc and ships it root-owned, not writable by others', () => {
    const build = d.getInstructions().filter((i) => i.getKeyword() === 'RUN');
    expect(build.some((r) => /\bgcc\b/.test(r.getArgumentsContent() ?? ''))).toBe(true);
    expect(build.some((r) => /test -x dist\/netdiag-sandbox/.test(r.getArgumentsContent() ?? ''))).toBe(true);
    const helper = stage.find((i) => i.getKeyword() === 'COPY' && /netdiag-sandbox/.test(i.getArgumentsContent() ?? ''));
    expect(text(helper)).toMatch(/--chown=0:0/);
    expect(text(helper)).toMatch(/--chmod=0755/);
  });
});

describe('api image', () => {
  it('ships every file the build splits the API into (dist/chunks: parts loaded on first use)', () => {
    const stage = finalStage(dockerfile('infra/docker/api.Dockerfile'));
    const copies = stage.filter((i) => i.getKeyword() === 'COPY').map(text);
    expect(existsSync(`${ROOT}dist/api.mjs`)).toBe(true);
    if (existsSync(`${ROOT}dist/chunks`)) expect(copies.some((c) => /\/src\/dist\/chunks \.\/dist\/chunks/.test(c))).toBe(true);
  });

  it('has no ENTRYPOINT wrapper and no diagnostic binaries', () => {
    const stage = finalStage(dockerfile('infra/docker/api.Dockerfile'));
    expect(stage.some((i) => i.getKeyword() === 'ENTRYPOINT')).toBe(false);
    expect(stage.some((i) => i.getKeyword() === 'RUN' && /nmap|iputils/.test(i.getArgumentsContent() ?? ''))).toBe(false);
  });
});
