import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CompleteRequestSchema, type CompleteResult } from '@modelcontextprotocol/sdk/types.js';
import type { JobView, TargetPolicyView } from './api-port';
import type { ToolExtra } from './call-tool';
import { JOB_URI_TEMPLATE } from './job-resource';
import { type PortAccess, readContext } from './port-access';
import { RECENT_JOBS } from './resources';

/** The spec's cap on completion values per answer (server/utilities/completion). */
const MAX_VALUES = 100;
const COMMON_PORTS = ['22', '25', '53', '80', '443', '3389', '5432', '8080', '8443'];
const TARGET_ARGUMENTS: ReadonlySet<string> = new Set(['target', 'targetA', 'targetB']);

const unique = (values: readonly string[]): string[] => [...new Set(values)];

/**
 * Host names the configured lab suffixes make of what was typed: "web" or "web.la" with ".lab.internal" configured
 * gives "web.lab.internal". Nothing for an empty value: a suffix alone is no target.
 */
export function suffixCompletions(value: string, suffixes: readonly string[]): string[] {
  const name = value.split('.')[0] ?? '';
  const rest = value.slice(name.length);
  return name === '' ? [] : suffixes.filter((s) => s.startsWith(rest)).map((s) => `${name}${s}`);
}

/** Targets, ports and job ids the caller has used, newest first, that start with what was typed. */
export function completeFrom(argument: string, value: string, jobs: readonly JobView[], policy: TargetPolicyView | undefined): string[] {
  const typed = value.toLowerCase();
  const starts = (v: string): boolean => v.toLowerCase().startsWith(typed);
  let values: string[] = [];
  if (TARGET_ARGUMENTS.has(argument)) values = [...jobs.map((j) => j.target).filter(starts), ...suffixCompletions(value, policy?.allowedSuffixes ?? [])];
  else if (argument === 'port')
    values = [...jobs.flatMap((j) => (typeof j.params['port'] === 'number' ? [String(j.params['port'])] : [])), ...COMMON_PORTS].filter(starts);
  else if (argument === 'id') values = jobs.map((j) => j.id).filter(starts);
  return unique(values);
}

async function recent(access: PortAccess, extra: ToolExtra): Promise<{ jobs: JobView[]; policy: TargetPolicyView | undefined }> {
  const ctx = readContext(access, extra);
  const [jobs, policy] = await Promise.all([access.port.listJobs(RECENT_JOBS, ctx), access.port.getPolicy(ctx)]);
  // Completion is a convenience: when the API cannot say, offer nothing rather than fail the request.
  return { jobs: jobs.kind === 'ok' ? jobs.data.jobs : [], policy: policy.kind === 'ok' ? policy.data : undefined };
}

/** completion/complete for prompt arguments (targets, ports) and the job resource template's {id}. */
export function registerCompletion(server: Server, access: PortAccess, promptNames: ReadonlySet<string>): void {
  server.setRequestHandler(CompleteRequestSchema, async (request, extra): Promise<CompleteResult> => {
    const { ref, argument } = request.params;
    const known = ref.type === 'ref/prompt' ? promptNames.has(ref.name) : ref.uri === JOB_URI_TEMPLATE;
    if (!known) return { completion: { values: [], total: 0, hasMore: false } };
    const { jobs, policy } = await recent(access, extra);
    const values = completeFrom(argument.name, argument.value, jobs, policy);
    return { completion: { values: values.slice(0, MAX_VALUES), total: values.length, hasMore: values.length > MAX_VALUES } };
  });
}
