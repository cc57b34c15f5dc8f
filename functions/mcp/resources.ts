import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ReadResourceRequestSchema,
  type ReadResourceResult,
  type Resource,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { ToolInfo } from '../../openapi/client';
import type { ToolRenderer } from '../shared/tool/definition';
import type { LocalFeatures } from './local-features';
import { JOB_URI_TEMPLATE, jobContents, jobIdOf, jobTitle, jobUri } from './job-resource';
import { type PortAccess, dataOr, readContext } from './port-access';
import { ProtocolError, RESOURCE_NOT_FOUND } from './protocol-error';
import { JobSubscriptions } from './resource-subscriptions';

export const POLICY_URI = 'netdiag://policy';
export const TOOLS_URI = 'netdiag://tools';
/** resources/list shows at most this many recent jobs (newest first); older ones stay readable by URI. */
export const RECENT_JOBS = 50;

const STATIC: Resource[] = [
  {
    uri: POLICY_URI,
    name: 'policy',
    title: 'Target policy',
    description: 'What may be targeted: allowed ranges and host suffixes, always-refused ranges, the loopback and intrusive-scan switches.',
    mimeType: 'application/json',
  },
  {
    uri: TOOLS_URI,
    name: 'tools',
    title: 'Tool catalogue',
    description: 'Every enabled tool with its limits, which runners offer it now, and why the others cannot (unavailableOn).',
    mimeType: 'application/json',
  },
];

const json = (uri: string, data: unknown): ReadResourceResult => ({ contents: [{ uri, mimeType: 'application/json', text: JSON.stringify(data, null, 2) }] });

/** The catalogue without the JSON Schemas (tools/list has those): what each tool is and where it can run. */
const catalogue = (tools: readonly ToolInfo[]): unknown => ({
  tools: tools.map((t) => ({
    name: t.name,
    title: t.title,
    annotations: t.annotations,
    policy: t.policy,
    available: t.available,
    runners: t.runners,
    unavailableOn: t.unavailableOn,
    breaker: t.breaker,
  })),
});

/**
 * Resources (docs/design.md, "MCP"): every job the caller may see as netdiag://jobs/{id}, the target policy and the
 * tool catalogue, read through the same REST routes as everything else, so scopes and ownership are decided there.
 */
export function registerResources(
  server: Server,
  access: PortAccess,
  renderers: ReadonlyMap<string, ToolRenderer>,
  local: LocalFeatures = {},
): { close(): void } {
  const localResources = new Map((local.resources ?? []).map((r) => [r.resource.uri, r]));
  const subscriptions = new JobSubscriptions(access.port, (uri) => server.sendResourceUpdated({ uri }));

  server.setRequestHandler(ListResourcesRequestSchema, async (_request, extra) => {
    const { jobs } = dataOr(await access.port.listJobs(RECENT_JOBS, readContext(access, extra)), 'netdiag://jobs');
    const listed: Resource[] = jobs.map((j) => ({
      uri: jobUri(j.id),
      name: `job-${j.id}`,
      title: jobTitle(j),
      mimeType: 'application/json',
      annotations: { lastModified: j.finishedAt ?? j.claimedAt ?? j.createdAt },
    }));
    return { resources: [...STATIC, ...[...localResources.values()].map((r) => r.resource), ...listed] };
  });

  server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => ({
    resourceTemplates: [
      {
        uriTemplate: JOB_URI_TEMPLATE,
        name: 'job',
        title: 'Diagnostic job',
        description: 'One job: its parameters, status, progress and structured result (JSON), and the same as text. Subscribe to follow a running job.',
        mimeType: 'application/json',
      },
      ...(local.templates ?? []).map((t) => t.template),
    ],
  }));

  server.setRequestHandler(ReadResourceRequestSchema, async (request, extra) => {
    const { uri } = request.params;
    const fixture = localResources.get(uri)?.read() ?? (local.templates ?? []).map((t) => t.read(uri)).find((r) => r !== undefined);
    if (fixture) return fixture;
    const ctx = readContext(access, extra);
    if (uri === POLICY_URI) return json(uri, dataOr(await access.port.getPolicy(ctx), uri));
    if (uri === TOOLS_URI) return json(uri, catalogue(dataOr(await access.port.listTools(ctx), uri).tools));
    const id = jobIdOf(uri);
    if (id === undefined) throw new ProtocolError(RESOURCE_NOT_FOUND, `Resource not found: ${uri}`, { uri });
    return jobContents(uri, dataOr(await access.port.getJob(id, ctx), uri), renderers);
  });

  server.setRequestHandler(SubscribeRequestSchema, async (request, extra) => {
    const { uri } = request.params;
    if (localResources.has(uri)) return {};
    const id = jobIdOf(uri);
    // Only jobs change; the policy and the catalogue are read again when wanted (tools/list_changed tells of the latter).
    if (id === undefined) throw new ProtocolError(RESOURCE_NOT_FOUND, `Only job resources (${JOB_URI_TEMPLATE}) can be subscribed to: ${uri}`, { uri });
    const job = dataOr(await access.port.getJob(id, readContext(access, extra)), uri);
    subscriptions.add(uri, job, access.headers(extra), extra.authInfo?.clientId);
    return {};
  });

  server.setRequestHandler(UnsubscribeRequestSchema, async (request) => {
    subscriptions.remove(request.params.uri);
    return {};
  });

  return { close: () => subscriptions.closeAll() };
}
