import type { Result, Router } from 'hono/router';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { SmartRouter } from 'hono/router/smart-router';
import { TrieRouter } from 'hono/router/trie-router';

/** Paths longer than this are matched every time (a long path is no call's usual path, and the memory stays small). */
const MAX_PATH = 256;

/**
 * Hono's default router (SmartRouter over RegExpRouter and TrieRouter), with each match remembered by method and path.
 * The API's routes fall back to TrieRouter (a static /tools/ping/execute next to /tools/:name/... is beyond
 * RegExpRouter), whose search over ~110 entries was ~0.08 ms of each request's path on a small VM (issue 12); a call's
 * path repeats (POST /tools/ping/execute, POST /runner/claim), so its match is looked up instead. A match depends only
 * on the method, the path and the routes, and hono reads it without changing it (RegExpRouter itself hands out one
 * shared result per static path). Adding a route forgets every match; at most `max` are kept, the oldest going first.
 */
export class RememberedRouter<T> implements Router<T> {
  readonly name: string;
  private readonly inner: Router<T>;
  private readonly matches = new Map<string, Result<T>>();

  constructor(
    private readonly max = 512,
    inner: Router<T> = new SmartRouter<T>({ routers: [new RegExpRouter<T>(), new TrieRouter<T>()] }),
  ) {
    this.inner = inner;
    this.name = `RememberedRouter + ${inner.name}`;
  }

  add(method: string, path: string, handler: T): void {
    this.matches.clear();
    this.inner.add(method, path, handler);
  }

  match(method: string, path: string): Result<T> {
    if (path.length > MAX_PATH) return this.inner.match(method, path);
    const key = `${method} ${path}`;
    const known = this.matches.get(key);
    if (known) return known;
    const result = this.inner.match(method, path);
    if (this.matches.size >= this.max) this.matches.delete(this.matches.keys().next().value as string);
    this.matches.set(key, result);
    return result;
  }
}
