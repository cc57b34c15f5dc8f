import { type CallToolResult, ElicitResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { type NmapScript, NMAP_SCRIPTS, isGatedScript } from '../tools/nmap/scripts';
import { failure } from './answers';
import type { McpApiPort } from './api-port';
import type { ToolExtra } from './call-tool';
import { READ_TIMEOUT_MS } from './port-access';

/** The MCP-only argument that confirms an intrusive scan when the client cannot be asked (no elicitation). */
export const CONFIRM_ARG = 'confirm';
/** Tools whose calls may need confirmation: they take CONFIRM_ARG, which is removed before the API sees the call. */
export const CONFIRMABLE_TOOLS: ReadonlySet<string> = new Set(['nmap']);
const NMAP_DEFAULT_TIMEOUT_SEC = 600;

/** One confirmation decision, for the audit trail (docs/security.md, "Intrusive scans"). */
export interface ConfirmationAudit {
  principal: string;
  tool: string;
  target: string | undefined;
  params: Record<string, unknown>;
  outcome: 'confirmed' | 'declined' | 'not-confirmed';
}

/** What makes an nmap call intrusive: raw scan types, OS detection, scripts in a gated category. */
export function intrusiveOptions(tool: string, args: Readonly<Record<string, unknown>>): string[] {
  if (tool !== 'nmap') return [];
  const scripts = Array.isArray(args['scripts']) ? args['scripts'].filter((s): s is NmapScript => typeof s === 'string' && s in NMAP_SCRIPTS) : [];
  const gated = scripts.filter(isGatedScript);
  return [
    args['scanType'] === 'syn' || args['scanType'] === 'udp' ? `scanType ${String(args['scanType'])}` : undefined,
    args['osDetection'] === true ? 'osDetection' : undefined,
    gated.length > 0 ? `scripts ${gated.join(', ')}` : undefined,
  ].filter((x) => x !== undefined);
}

export interface ConfirmInput {
  port: McpApiPort;
  tool: string;
  args: Record<string, unknown>;
  extra: ToolExtra;
  headers: Readonly<Record<string, string>>;
  /** Whether the client declared elicitation support at initialize. */
  canElicit: boolean;
  audit: (entry: ConfirmationAudit) => void;
}

/**
 * Ask before an intrusive scan runs (docs/design.md, "MCP"). Only when the deployment allows intrusive scans at all:
 * otherwise the API refuses the call as it always did. With elicitation the user is asked (target, what is intrusive,
 * how long it may take); without it the call must carry confirm: true. Returns the arguments to run with (confirm
 * removed), or the isError result to answer with: then nothing has run, and the decision is audited either way.
 * With elicitation, confirm: true in the arguments counts for nothing: only the user's answer does.
 */
export async function confirmIntrusive(i: ConfirmInput): Promise<{ args: Record<string, unknown> } | { refused: CallToolResult }> {
  if (!CONFIRMABLE_TOOLS.has(i.tool)) return { args: i.args };
  const { [CONFIRM_ARG]: confirm, ...args } = i.args;
  const intrusive = intrusiveOptions(i.tool, args);
  if (intrusive.length === 0) return { args };
  const signal = AbortSignal.any([i.extra.signal, AbortSignal.timeout(READ_TIMEOUT_MS)]);
  const policy = await i.port.getPolicy({ signal, headers: i.headers, principal: i.extra.authInfo?.clientId });
  if (policy.kind !== 'ok' || !policy.data.intrusiveAllowed) return { args };

  const target = typeof args['target'] === 'string' ? args['target'] : undefined;
  const seconds = typeof args['timeoutSec'] === 'number' ? args['timeoutSec'] : NMAP_DEFAULT_TIMEOUT_SEC;
  const what = `nmap against ${target ?? '(no target)'} with ${intrusive.join(' and ')}`;
  const record = (outcome: ConfirmationAudit['outcome']): void =>
    i.audit({ principal: i.extra.authInfo?.clientId ?? 'stdio', tool: i.tool, target, params: args, outcome });

  // A client that can ask its user does: confirm: true is then ignored, so a model cannot answer for the user.
  if (!i.canElicit && confirm === true) {
    record('confirmed');
    return { args };
  }
  if (!i.canElicit) {
    record('not-confirmed');
    return {
      refused: failure(
        'FORBIDDEN',
        `${what} is an intrusive scan and needs the user's confirmation; nothing was run.`,
        `Ask the user, then call again with "${CONFIRM_ARG}": true if they agree.`,
        { confirmationRequired: true, intrusive },
      ),
    };
  }
  const answer = await i.extra.sendRequest(
    {
      method: 'elicitation/create',
      params: {
        mode: 'form',
        message: `Run an intrusive scan? ${what}. It may take up to ${seconds} s and can be noticed (or logged) by the target.`,
        requestedSchema: {
          type: 'object',
          properties: { confirm: { type: 'boolean', title: 'Run this scan', description: `Run ${what}.`, default: false } },
          required: ['confirm'],
        },
      },
    },
    ElicitResultSchema,
  );
  if (answer.action === 'accept' && answer.content?.['confirm'] === true) {
    record('confirmed');
    return { args };
  }
  record('declined');
  return {
    refused: failure('CANCELLED', `The user did not confirm ${what}; nothing was run.`, 'Choose a connect scan without intrusive options, or ask again.', {
      intrusive,
    }),
  };
}
