/** A counting semaphore whose waits can be interrupted. */
export class Slots {
  private free: number;
  private readonly waiting: Array<() => void> = [];
  private idle: Array<() => void> = [];

  constructor(private readonly capacity: number) {
    this.free = capacity;
  }

  acquire(signal?: AbortSignal): Promise<void> {
    if (this.free > 0) {
      this.free -= 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const grant = (): void => {
        signal?.removeEventListener('abort', giveUp);
        resolve();
      };
      const giveUp = (): void => {
        const i = this.waiting.indexOf(grant);
        if (i >= 0) this.waiting.splice(i, 1);
        resolve();
      };
      this.waiting.push(grant);
      signal?.addEventListener('abort', giveUp, { once: true });
    });
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free += 1;
    if (this.free === this.capacity) for (const r of this.idle.splice(0)) r();
  }

  /** Resolves when no slot is held. */
  drained(): Promise<void> {
    if (this.free === this.capacity) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }
}
