/** `metrics`: GET /metrics only (a Prometheus scrape token); `tools:admin` may read metrics too. */
export const SCOPES = ['tools:read', 'tools:run', 'tools:admin', 'runner', 'metrics'] as const;
export type Scope = (typeof SCOPES)[number];

/** Who made a request, as established by a bearer token. */
export interface Principal {
  id: string;
  scopes: ReadonlySet<Scope>;
  /** Tools this token may run; undefined means all. */
  tools?: ReadonlySet<string> | undefined;
}
