/**
 * Injected storage faults, through the real app with a wrapped D1 binding:
 * failing or slow D1 → decide answers 200 fast with default content and `degraded: true`;
 * collect answers 503 with Retry-After; events sent again later are stored exactly once.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import app from '../../worker/index';
import { DECIDE_DEADLINE_MS } from '../../worker/routes/public';
import { COLLECT_DEADLINE_MS, SERVER_DEADLINE_MS } from '../../worker/services/deadline';
import { type Fault, faultyD1 } from './faulty-d1';
import { SERVER, count, eid, identifyToken, loadDemo, pageView, vid, visitor } from './helpers';

beforeAll(loadDemo);

async function send(path: string, body: unknown, db: D1Database = env.DB, headers: Record<string, string> = {}) {
  const req = new Request(`http://edge.test${path}`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', ...headers },
    body: JSON.stringify(body),
  });
  const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;
  return app.fetch(req, { ...env, DB: db }, ctx);
}

describe.each<Fault>(['fail', 'slow'])('D1 %s', (fault) => {
  it('decide → 200 with default content and degraded, within the deadline', async () => {
    const v = vid(`decide-${fault}`);
    const started = Date.now();
    const res = await send('/v1/decide', { visitorId: v, slots: ['hero', 'cta'], events: [pageView()] }, faultyD1(fault));
    const elapsed = Date.now() - started;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ visitorId: v, segment: null, slots: { hero: null, cta: null }, degraded: true });
    expect(elapsed).toBeLessThan(DECIDE_DEADLINE_MS + 1000);
  });

  it('collect → 503 with Retry-After; the same events later are stored exactly once', { timeout: 15_000 }, async () => {
    const v = vid(`collect-${fault}`);
    const events = [
      { id: eid(), type: 'download', props: { asset: 'a.pdf', kind: 'whitepaper' } },
      { id: eid(), type: 'page_view', props: { category: 'pricing' } },
    ];
    const started = Date.now();
    const res = await send('/v1/collect', { visitorId: v, events }, faultyD1(fault));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(Date.now() - started).toBeLessThan(COLLECT_DEADLINE_MS + 1000);
    // The snippet kept them and sends them again once storage is back (possibly twice).
    await send('/v1/collect', { visitorId: v, events });
    await send('/v1/decide', { visitorId: v, slots: ['hero'], events });
    expect(await count('events', 'visitor_id = ?', v)).toBe(2);
    expect((await visitor(v)).score).toBe(34);
  });

  it.each([
    ['identify', async (v: string) => send('/v1/identify', { visitorId: v, token: await identifyToken(`m-${v}`, {}) }, faultyD1(fault))],
    [
      'server collect',
      async (v: string) =>
        send('/v1/server/collect', { memberId: `m-${v}`, events: [{ id: eid(), type: 'login' }] }, faultyD1(fault, 8000), SERVER),
    ],
  ])('%s → 503 with Retry-After within its deadline, nothing stored', { timeout: 15_000 }, async (_label, run) => {
    const v = vid(`srv-${fault}`);
    const started = Date.now();
    const res = await run(v);
    expect(res.status).toBe(503);
    expect((await res.json<{ error: { code: string } }>()).error.code).toBe('unavailable');
    expect(res.headers.get('retry-after')).toBe('5');
    expect(Date.now() - started).toBeLessThan(SERVER_DEADLINE_MS + 1000);
    expect(await count('members', 'id = ?', `m-${v}`)).toBe(0);
  });
});
