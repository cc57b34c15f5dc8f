/**
 * The runner side of the built-in tools, keyed by the names in functions/tools/index.ts: a tool without an executor
 * here does not compile. Node only (spawns, sockets); the API never imports this file.
 */
import type { Executor } from '../shared/tool/executor';
import { digExecutor } from './dig/executor';
import { httpProbeExecutor } from './http-probe/executor';
import type { BuiltinToolName } from './index';
import { mtrExecutor } from './mtr/executor';
import { nmapExecutor } from './nmap/executor';
import { pingExecutor } from './ping/executor';
import { tlsInspectExecutor } from './tls-inspect/executor';
import { tracerouteExecutor } from './traceroute/executor';

export const builtinExecutors: Readonly<Record<BuiltinToolName, Executor>> = {
  ping: pingExecutor,
  traceroute: tracerouteExecutor,
  mtr: mtrExecutor,
  nmap: nmapExecutor,
  dig: digExecutor,
  tls_inspect: tlsInspectExecutor,
  http_probe: httpProbeExecutor,
};

/** Executors by tool name; the runner adds the TOOLS_PACKAGE ones to a copy at start-up. */
export const executors: ReadonlyMap<string, Executor> = new Map(Object.values(builtinExecutors).map((e) => [e.definition.name, e]));
