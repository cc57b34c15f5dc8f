import type { AnyToolDefinition } from '../../shared/tool/definition';
import { MemoryToolStateStore, type ToolStateStore } from './tool-state-store';

/** `*` matches any run of characters; everything else is literal. */
function matches(pattern: string, name: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return re.test(name);
}

const patterns = (spec: string | undefined): string[] =>
  (spec ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

export interface ToolRegistryOptions {
  /** TOOL_INCLUDE: comma-separated names or patterns; empty = all. */
  include?: string | undefined;
  /** TOOL_EXCLUDE: comma-separated names or patterns, applied after include. */
  exclude?: string | undefined;
  /** Where enable/disable is shared (Redis for replicas); this process's memory when omitted. */
  store?: ToolStateStore | undefined;
}

/** `local`: this replica made the change (and announces it); `remote`: another replica did, heard through the store. */
export type ToolChangeOrigin = 'local' | 'remote';
export type ToolChangeListener = (name: string, enabled: boolean, origin: ToolChangeOrigin) => void;

/**
 * Which tools exist and which are enabled. TOOL_INCLUDE/TOOL_EXCLUDE decide the start state; admins enable and
 * disable at run time without a restart; listeners hear every change. Reads are synchronous from a local copy; changes
 * go through the ToolStateStore, so with a shared store every replica applies them at once (docs/design.md, "Broker").
 */
export class ToolRegistry {
  private readonly enabled = new Set<string>();
  private readonly listeners = new Set<ToolChangeListener>();
  private readonly store: ToolStateStore;
  /** Settles once the shared state is loaded (never rejects: until then, and if the store is down, the start state holds). */
  readonly ready: Promise<void>;
  private readonly offStore: () => void;

  constructor(
    readonly all: readonly AnyToolDefinition[],
    options: ToolRegistryOptions = {},
  ) {
    const include = patterns(options.include);
    const exclude = patterns(options.exclude);
    const start: Record<string, boolean> = {};
    for (const def of all) {
      const included = include.length === 0 || include.some((p) => matches(p, def.name));
      start[def.name] = included && !exclude.some((p) => matches(p, def.name));
      if (start[def.name]) this.enabled.add(def.name);
    }
    this.store = options.store ?? new MemoryToolStateStore();
    this.offStore = this.store.subscribe((name, on) => this.heard(name, on));
    this.ready = this.store.init(start).then(
      (state) => {
        for (const [name, on] of Object.entries(state)) this.heard(name, on);
      },
      () => undefined, // the store reports the whole state again once it is reachable (ToolStateStore.subscribe)
    );
  }

  get(name: string): AnyToolDefinition | undefined {
    return this.all.find((d) => d.name === name);
  }

  isEnabled(name: string): boolean {
    return this.enabled.has(name);
  }

  enabledTools(): AnyToolDefinition[] {
    return this.all.filter((d) => this.enabled.has(d.name));
  }

  /** Returns whether anything changed (across all replicas); rejects when the shared store is unreachable. */
  async setEnabled(name: string, on: boolean): Promise<boolean> {
    if (!this.get(name)) return false;
    const changed = await this.store.set(name, on);
    // The store's answer decides, not the local copy: another replica's echo of this change may have arrived first.
    if (changed) this.apply(name, on, 'local');
    return changed;
  }

  onChange(listener: ToolChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * A change another replica announced on the service event log (`tools.list_changed`). Applied at once, before the
   * announcement reaches anyone else here (events/bridge.ts subscribes first): a client told "the list changed" that
   * asks this replica for the list must get the new one, and the store's own message may still be on its way. The
   * store's state is then read again and wins, so two changes racing through two replicas cannot leave this copy stale.
   */
  announced(name: string, on: boolean): void {
    this.heard(name, on);
    void this.store.init({}).then(
      (state) => {
        for (const [tool, enabled] of Object.entries(state)) this.heard(tool, enabled);
      },
      () => undefined, // the store reports the whole state again once it is reachable
    );
  }

  /** Stop hearing the shared store (the store itself is closed by its owner, the broker). */
  close(): void {
    this.offStore();
  }

  /** A state heard from the store: applied (and announced as remote) only when it differs from the local copy. */
  private heard(name: string, on: boolean): void {
    if (this.get(name) && this.enabled.has(name) !== on) this.apply(name, on, 'remote');
  }

  private apply(name: string, on: boolean, origin: ToolChangeOrigin): void {
    if (on) this.enabled.add(name);
    else this.enabled.delete(name);
    for (const l of this.listeners) l(name, on, origin);
  }
}
