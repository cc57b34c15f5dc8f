/**
 * Which tools are enabled, shared by every replica (docs/design.md, "Broker"). The registry keeps a local copy for its
 * synchronous reads; this store is where changes are made and heard. In memory per process by default; in Redis
 * (functions/node/broker/redis-tool-state-store.ts) a tool disabled through one replica is disabled on all at once.
 * A Durable Object can implement it too: no Node-only types here.
 */
export type ToolStateListener = (name: string, enabled: boolean) => void;

export interface ToolStateStore {
  /**
   * Record the start state (TOOL_INCLUDE/TOOL_EXCLUDE) for tools the store does not know yet, and answer the current
   * state of every tool it knows: a replica joining a running deployment takes the state the others already use.
   */
  init(start: Readonly<Record<string, boolean>>): Promise<Record<string, boolean>>;
  /** Enable or disable one tool; true when this call changed it. Other replicas hear the change at once. */
  set(name: string, enabled: boolean): Promise<boolean>;
  /**
   * A tool's state as other replicas set it (also repeated for every tool after a reconnect, so a change made while
   * this replica was cut off is not missed; listeners ignore what they already have). Returns the unsubscribe function.
   */
  subscribe(listener: ToolStateListener): () => void;
  close(): Promise<void>;
}

/** One process: the state lives only here, so there is nobody else to hear from. */
export class MemoryToolStateStore implements ToolStateStore {
  private readonly state = new Map<string, boolean>();

  init(start: Readonly<Record<string, boolean>>): Promise<Record<string, boolean>> {
    for (const [name, enabled] of Object.entries(start)) if (!this.state.has(name)) this.state.set(name, enabled);
    return Promise.resolve(Object.fromEntries(this.state));
  }

  set(name: string, enabled: boolean): Promise<boolean> {
    const changed = this.state.get(name) !== enabled;
    this.state.set(name, enabled);
    return Promise.resolve(changed);
  }

  subscribe(): () => void {
    return () => undefined;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
