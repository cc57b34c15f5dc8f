/** Reading the deployment files the infra tests check statically (containers cannot run here: docs/design.md, "Deployment"). */
import { readFileSync, readdirSync } from 'node:fs';
import { DockerfileParser, type Dockerfile } from 'dockerfile-ast';
import { parse, parseAllDocuments } from 'yaml';
import { ROOT } from '../helpers/processes';

export { ROOT };

export const read = (path: string): string => readFileSync(`${ROOT}${path}`, 'utf8');

export function dockerfile(path: string): Dockerfile {
  return DockerfileParser.parse(read(path));
}

/** `npm run <name>` as argv, from package.json (the images must run the same command). */
export function npmScript(name: string): string[] {
  const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
  const script = pkg.scripts[name];
  if (script === undefined) throw new Error(`package.json has no script ${name}`);
  return script.split(/\s+/);
}

export type Yaml = Record<string, unknown>;

/** `merge`: compose files share settings through YAML merge keys (`<<: *api`). */
export function yamlFile(path: string): Yaml {
  return parse(read(path), { merge: true }) as Yaml;
}

/** Every document of every .yaml file in infra/k8s, with the file it came from. */
export function k8sManifests(): { file: string; doc: Yaml }[] {
  const out: { file: string; doc: Yaml }[] = [];
  for (const file of readdirSync(`${ROOT}infra/k8s`).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')) {
    for (const d of parseAllDocuments(read(`infra/k8s/${file}`))) {
      if (d.errors.length > 0) throw new Error(`${file}: ${d.errors[0]?.message ?? 'YAML error'}`);
      const doc = d.toJS() as Yaml | null;
      if (doc !== null) out.push({ file, doc });
    }
  }
  return out;
}

/** A path into parsed YAML, e.g. at(doc, 'spec', 'template', 'spec'); undefined where it stops. */
export function at(value: unknown, ...path: (string | number)[]): unknown {
  let v = value;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[key];
  }
  return v;
}
