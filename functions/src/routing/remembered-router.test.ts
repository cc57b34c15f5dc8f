import { Hono } from 'hono';
import { TrieRouter } from 'hono/router/trie-router';
import { describe, expect, it } from 'vitest';
import { RememberedRouter } from './remembered-router';

/** Routes shaped like the API's: middleware on every path, a static path next to a parameter (TrieRouter's case). */
function routes(app: Hono): Hono {
  app.use(async (c, next) => {
    await next();
    c.header('x-seen', 'yes');
  });
  app.use('/tools/:name/execute', async (c, next) => {
    c.header('x-gate', c.req.param('name') ?? '');
    await next();
  });
  app.get('/tools/:name', (c) => c.json({ get: c.req.param('name') }));
  app.post('/tools/:name/enable', (c) => c.json({ enable: c.req.param('name') }));
  app.post('/tools/ping/execute', (c) => c.json({ execute: 'ping' }));
  app.post('/runner/jobs/:id/complete', (c) => c.json({ complete: c.req.param('id') }));
  app.get('/files/*', (c) => c.json({ file: c.req.path }));
  return app;
}

const REQUESTS: Array<[string, string]> = [
  ['POST', '/tools/ping/execute'],
  ['POST', '/tools/nmap/execute'],
  ['GET', '/tools/ping'],
  ['GET', '/tools/p%69ng'],
  ['POST', '/tools/dig/enable'],
  ['POST', '/runner/jobs/j-1/complete'],
  ['POST', '/runner/jobs/j-2/complete'],
  ['GET', '/files/a/b.txt'],
  ['GET', '/nowhere'],
  ['DELETE', '/tools/ping/execute'],
  ['POST', `/runner/jobs/${'x'.repeat(300)}/complete`],
];

async function answers(app: Hono): Promise<string[]> {
  const out: string[] = [];
  // Twice: the second round is answered from remembered matches.
  for (let round = 0; round < 2; round += 1) {
    for (const [method, path] of REQUESTS) {
      const res = await app.request(`http://localhost${path}`, { method });
      out.push(`${method} ${path} ${res.status} ${res.headers.get('x-seen')} ${res.headers.get('x-gate')} ${await res.text()}`);
    }
  }
  return out;
}

describe('RememberedRouter', () => {
  it("answers every request as hono's default router does, the first time and again", async () => {
    const remembered = new RememberedRouter<never>();
    expect(await answers(routes(new Hono({ router: remembered as never })))).toEqual(await answers(routes(new Hono())));
    expect(remembered.name).toBe('RememberedRouter + SmartRouter');
  });

  it('returns the remembered match for a path seen before, and matches again after a route is added', () => {
    // TrieRouter: SmartRouter takes no route after its first match.
    const router = new RememberedRouter<string>(512, new TrieRouter<string>());
    router.add('GET', '/a/:x', 'param');
    const first = router.match('GET', '/a/static');
    expect(router.match('GET', '/a/static')).toBe(first);
    router.add('GET', '/a/static', 'static');
    const again = router.match('GET', '/a/static');
    expect(again).not.toBe(first);
    expect(again[0].map(([h]) => h)).toEqual(['param', 'static']);
  });

  it('keeps at most `max` matches, the oldest going first, and no long paths', () => {
    const inner = new TrieRouter<string>();
    let searches = 0;
    const counting = { name: 'counting', add: inner.add.bind(inner), match: (m: string, p: string) => (searches++, inner.match(m, p)) };
    const router = new RememberedRouter<string>(2, counting);
    router.add('GET', '/jobs/:id', 'job');
    for (const p of ['/jobs/1', '/jobs/2', '/jobs/1', '/jobs/3', '/jobs/1', '/jobs/2']) router.match('GET', p);
    // 1, 2 searched; 1 remembered; 3 searched (1 goes); 1 searched (2 goes); 2 searched.
    expect(searches).toBe(5);
    const long = `/jobs/${'y'.repeat(300)}`;
    router.match('GET', long);
    router.match('GET', long);
    expect(searches).toBe(7);
  });
});
