import type { AnyToolDefinition } from '../../shared/tool/definition';

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
}

/**
 * Which tools exist and which are enabled. TOOL_INCLUDE/TOOL_EXCLUDE decide the start state;
 * admins enable and disable at run time without a restart; listeners hear every change.
 */
export class ToolRegistry {
  private readonly enabled = new Set<string>();
  private readonly listeners = new Set<(name: string, enabled: boolean) => void>();

  constructor(
    readonly all: readonly AnyToolDefinition[],
    options: ToolRegistryOptions = {},
  ) {
    const include = patterns(options.include);
    const exclude = patterns(options.exclude);
    for (const def of all) {
      const included = include.length === 0 || include.some((p) => matches(p, def.name));
      if (included && !exclude.some((p) => matches(p, def.name))) this.enabled.add(def.name);
    }
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

  /** Returns whether anything changed. */
  setEnabled(name: string, on: boolean): boolean {
    if (!this.get(name) || this.enabled.has(name) === on) return false;
    if (on) this.enabled.add(name);
    else this.enabled.delete(name);
    for (const l of this.listeners) l(name, on);
    return true;
  }

  onChange(listener: (name: string, enabled: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
