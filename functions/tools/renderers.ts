/**
 * The built-in tools' text renderers by name, without their definitions: the shim bundles these and not the zod
 * schemas (its bundle stays small). Keyed by the names in functions/tools/index.ts, so a tool without a renderer does
 * not compile; each definition's `render` is the same function (test/tools/parity.test.ts).
 */
import type { ToolRenderer } from '../shared/tool/definition';
import { renderDig } from './dig/render';
import { renderHttpProbe } from './http-probe/render';
import type { BuiltinToolName } from './index';
import { renderMtr } from './mtr/render';
import { renderNmap } from './nmap/render';
import { renderPing } from './ping/render';
import { renderTlsInspect } from './tls-inspect/render';
import { renderTraceroute } from './traceroute/render';

export const builtinRenderers: Readonly<Record<BuiltinToolName, ToolRenderer>> = {
  ping: renderPing,
  traceroute: renderTraceroute,
  mtr: renderMtr,
  nmap: renderNmap,
  dig: renderDig,
  tls_inspect: renderTlsInspect,
  http_probe: renderHttpProbe,
};

export const builtinRenderersByName: ReadonlyMap<string, ToolRenderer> = new Map(Object.entries(builtinRenderers));
