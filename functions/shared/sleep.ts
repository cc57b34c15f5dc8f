/**
 * Wait `ms`, or less if `signal` fires; never rejects. The abort listener goes when the wait ends either way: the
 * signals waited on here outlive many waits (the runner's retry backoffs and control polls, tasks/result polling a job
 * every second on its request's signal, the shim's event stream backing off on its stop signal for as long as the API
 * is away), and a listener left per wait piled up on them (Node warns past 10 with MaxListenersExceededWarning).
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
