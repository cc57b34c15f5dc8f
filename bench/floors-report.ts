/**
 * The headline's "added over the floor" lines (bench/npm-start.ts, bench/floors.ts): each path's time over the
 * binary run directly, less what the same client pays to a server that answers at once on this machine, per round.
 * Context for issue 12's targets, which stay as the issue states them ("added over the binary run directly").
 */
import { FLOOR } from './floors';
import { ms, summarize } from './stats';

export function reportFloors(t: Record<string, number[]>): void {
  const get = (k: string): number[] => t[k] ?? [];
  /** Per round: x − y. */
  const minus = (x: readonly number[], y: readonly number[]): number[] => x.map((v, i) => v - (y[i] ?? Number.NaN));
  const diff = (a: string, b: string): number[] => minus(get(a), get(b));
  const line = (label: string, samples: number[]): void => {
    const s = summarize(samples);
    process.stdout.write(`  ${label.padEnd(64)} median ${ms(s.median).padStart(10)}   p95 ${ms(s.p95).padStart(10)} (per-round differences)\n`);
  };
  process.stdout.write(
    `  floors (no API, runner or binary; the same client calls a server in another process that answers at once; the nmap rows use the ping floor):\n`,
  );
  line('floor MCP HTTP − floor REST (SDK client+server over fetch)', diff(FLOOR.http, FLOOR.rest));
  line('floor MCP HTTP client only − floor REST (SDK client over fetch)', diff(FLOOR.httpClient, FLOOR.rest));
  line('added over the floor, whole MCP path, ping', minus(diff('MCP stdio ping', 'direct ping'), get(FLOOR.stdio)));
  line('added over the floor, whole MCP path, nmap', minus(diff('MCP stdio nmap', 'direct nmap'), get(FLOOR.stdio)));
  line('added over the floor, REST, ping', minus(diff('REST ping', 'direct ping'), get(FLOOR.rest)));
  line('added over the floor, REST, nmap', minus(diff('REST nmap', 'direct nmap'), get(FLOOR.rest)));
  line('added over the floors, MCP over HTTP vs REST', minus(diff('MCP HTTP ping', 'REST ping'), diff(FLOOR.http, FLOOR.rest)));
  line('added over the client-only floor, MCP over HTTP vs REST', minus(diff('MCP HTTP ping', 'REST ping'), diff(FLOOR.httpClient, FLOOR.rest)));
}
