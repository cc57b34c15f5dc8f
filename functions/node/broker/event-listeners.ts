/** Listeners of one kind of store event (subscribe/subscribeRunners); one failing listener never starves the others. */
export class EventListeners<E> {
  private readonly listeners = new Set<(event: E) => void>();

  /** Returns the unsubscribe function. */
  add(listener: (event: E) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: E): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // The app's own listeners log their own errors; the others must still hear the event.
      }
    }
  }
}
