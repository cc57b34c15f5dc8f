/**
 * A stand-in runner for benchmarks: claims ping jobs over the real runner protocol and completes each at once with
 * a fixed, schema-valid result. With the binary out of the way, what remains is the cost of the call path itself.
 * It runs in its own process (spawnInstantRunner) so it does not share an event loop with the measuring client.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { LOOPBACK_PING_RESULT as RESULT } from '../test/helpers/ping-result';

export function startInstantRunner(apiUrl: string, runnerToken: string): { stop(): Promise<void> } {
  let stopped = false;
  const headers = { authorization: `Bearer ${runnerToken}`, 'content-type': 'application/json' };
  const post = (path: string, body: unknown): Promise<Response> => fetch(`${apiUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  // Two claim loops: one is always parked, so a new job never waits for the runner to come back.
  const claimLoop = async (): Promise<void> => {
    while (!stopped) {
      try {
        // Short claims: the loop notices `stop` within a second.
        const res = await post('/runner/claim', { runnerId: 'bench-instant', tools: ['ping'], waitMs: 1000 });
        const { job } = (await res.json()) as { job?: { id: string; leaseId: string } };
        if (job)
          await (
            await post(`/runner/jobs/${job.id}/complete`, { leaseId: job.leaseId, outcome: { status: 'succeeded', result: RESULT, durationMs: 0 } })
          ).arrayBuffer();
      } catch {
        // The API went away: wait before the next try, so a loop left behind does not spin on refused connections.
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  };
  const loops = Promise.all([claimLoop(), claimLoop()]);
  return {
    stop: async () => {
      stopped = true;
      await loops;
    },
  };
}

/** Start the stand-in runner as a child process (node --import tsx this file). */
export function spawnInstantRunner(apiUrl: string, runnerToken: string): { stop(): Promise<void> } {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: { PATH: process.env['PATH'] ?? '', INSTANT_RUNNER_API: apiUrl, INSTANT_RUNNER_TOKEN: runnerToken },
    // stdin a pipe: it ends when this process is gone, however it ends, and the stand-in then exits (below).
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  return {
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const runner = startInstantRunner(process.env['INSTANT_RUNNER_API'] ?? '', process.env['INSTANT_RUNNER_TOKEN'] ?? '');
  process.on('SIGTERM', () => void runner.stop().then(() => process.exit(0)));
  // The bench that started us is gone (killed, crashed): do not keep claiming for an API nobody measures.
  process.stdin.on('end', () => process.exit(0)).resume();
}
