import type { ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import type { ToolRenderer } from '../shared/tool/definition';
import type { JobView } from './api-port';
import { renderResult } from './render';

/** The URI template of a job resource (docs/design.md, "MCP"). */
export const JOB_URI_TEMPLATE = 'netdiag://jobs/{id}';
const JOB_URI = /^netdiag:\/\/jobs\/([A-Za-z0-9._:-]{1,64})$/;

export const jobUri = (id: string): string => `netdiag://jobs/${id}`;

/** The job id in a job resource URI, or undefined when the URI is not one. */
export function jobIdOf(uri: string): string | undefined {
  return JOB_URI.exec(uri)?.[1];
}

/** One line that tells jobs apart in a list: tool, target and how it stands. */
export const jobTitle = (j: Pick<JobView, 'tool' | 'target' | 'status'>): string => `${j.tool} ${j.target} (${j.status})`;

/** The text a person or model reads: what ran, how it ended, then the tool's own rendering of the result. */
export function renderJob(j: JobView, renderers: ReadonlyMap<string, ToolRenderer>): string {
  const head = [`${j.tool} job ${j.id} against ${j.target}: ${j.status}`, j.durationMs !== undefined ? `in ${Math.round(j.durationMs)} ms` : undefined]
    .filter((x) => x !== undefined)
    .join(' ');
  const progress = j.progress?.message !== undefined && (j.status === 'running' || j.status === 'queued') ? `progress: ${j.progress.message}` : undefined;
  const error = j.error ? `${j.error.code}: ${j.error.message}` : undefined;
  const result = j.result ? renderResult(renderers, j.tool, j.result) : undefined;
  return [head, progress, error, result].filter((x) => x !== undefined).join('\n');
}

/** A job as a resource: the job with its structured result as JSON, and the same job as text. */
export function jobContents(uri: string, j: JobView, renderers: ReadonlyMap<string, ToolRenderer>): ReadResourceResult {
  return {
    contents: [
      { uri, mimeType: 'application/json', text: JSON.stringify(j) },
      { uri, mimeType: 'text/plain', text: renderJob(j, renderers) },
    ],
  };
}
