import { digExecutor } from './dig';
import type { Executor } from './executor';
import { httpProbeExecutor } from './http-probe';
import { mtrExecutor } from './mtr';
import { nmapExecutor } from './nmap';
import { pingExecutor } from './ping';
import { tlsInspectExecutor } from './tls-inspect';
import { tracerouteExecutor } from './traceroute';

/** Executors by tool name. Tools without an executor here are never advertised by this runner. */
export const executors: ReadonlyMap<string, Executor<never>> = new Map<string, Executor<never>>(
  [pingExecutor, tracerouteExecutor, mtrExecutor, nmapExecutor, digExecutor, tlsInspectExecutor, httpProbeExecutor].map((e) => [e.definition.name, e as unknown as Executor<never>]),
);
