/**
 * The writes queue (worker/services/writes): a decide answers after one read and hands its
 * events to the queue; the consumer applies them to D1 idempotently. Here the consumer is killed
 * mid-batch — after a D1 batch committed but before the messages were acknowledged, and before a
 * batch committed — and the queue redelivers everything: every event is stored exactly once, and
 * scores equal those of the same pages written inline.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NormalizedEvent } from '../../worker/core/types';
import { type D1Meter, meteredD1 } from '../../worker/middleware/db';
import { serviceContext } from '../../worker/services/context';
import { handleWriteBatch } from '../../worker/services/writes/consumer';
import { WRITES_QUEUE, type WriteMessage } from '../../worker/services/writes/message';
import { count, drainWrites, eid, fetchNoDrain, json, loadDemo, pageView, post, signIn, vid, visitor } from './helpers';

beforeAll(loadDemo);

interface FakeMessage extends Message<WriteMessage> {
  state: 'new' | 'acked' | 'retried';
}

function fakeBatch(bodies: WriteMessage[], attempts = 1): { batch: MessageBatch<WriteMessage>; messages: FakeMessage[] } {
  const messages = bodies.map((body, i) => {
    const m = {
      id: `m${i}`,
      timestamp: new Date(body.now),
      body,
      attempts,
      state: 'new',
      ack() {
        m.state = 'acked';
      },
      retry() {
        m.state = 'retried';
      },
    } as FakeMessage;
    return m;
  });
  const batch = {
    queue: WRITES_QUEUE,
    messages,
    ackAll: () => messages.forEach((m) => m.ack()),
    retryAll: () => messages.forEach((m) => m.retry()),
  } as unknown as MessageBatch<WriteMessage>;
  return { batch, messages };
}

/**
 * D1 whose batches die by number (1-based): 'after' commits the batch first (the isolate died
 * before the ack), 'before' never runs it.
 */
function dyingD1(dying: Record<number, 'after' | 'before'>): D1Database {
  let calls = 0;
  return new Proxy(env.DB, {
    get(target, prop) {
      if (prop === 'batch')
        return async (statements: D1PreparedStatement[]) => {
          const when = dying[++calls];
          if (when === 'before') throw new Error('killed before the batch');
          const out = await target.batch(statements);
          if (when === 'after') throw new Error('killed after the batch committed');
          return out;
        };
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const download = (): NormalizedEvent => ({ id: eid('dl'), type: 'download', at: Date.now(), props: { asset: 'a', kind: 'whitepaper' } });
const page = (category: string): NormalizedEvent => ({ id: eid('pv'), type: 'page_view', at: Date.now(), props: { category } });

describe('decide through the writes queue', () => {
  it('answers from one read; once drained, D1 holds each event once and the score an inline write gives', async () => {
    const [queued, inline] = [vid('queued'), vid('inline')];
    const pages = [[pageView('pricing')], [pageView('pricing'), pageView('blog')], [pageView()]];
    for (const events of pages) {
      const res = await fetchNoDrain('POST', '/v1/decide', { visitorId: queued, slots: ['hero'], events });
      expect(res.status).toBe(200);
      await drainWrites();
      await post(
        '/v1/decide',
        { visitorId: inline, slots: ['hero'], events: events.map((e) => ({ ...e, id: eid() })) },
        { 'x-dw-writes': 'inline' },
      );
    }
    expect(await count('events', 'visitor_id = ?', queued)).toBe(4);
    const [q, i] = [await visitor(queued), await visitor(inline)];
    expect(q.score).toBeGreaterThan(0);
    expect(q.score).toBe(i.score);
    expect(q.segment).toEqual(i.segment);
  });

  it('a page sent twice (the snippet retried) is stored once', async () => {
    const v = vid('twice');
    const events = [pageView('pricing')];
    await post('/v1/decide', { visitorId: v, slots: ['hero'], events });
    await post('/v1/decide', { visitorId: v, slots: ['hero'], events });
    expect(await count('events', 'visitor_id = ?', v)).toBe(1);
  });
});

/**
 * Three visitors, two pages each, through a consumer whose D1 dies as `dying` says; then the queue
 * redelivers every message. Returns the first delivery's messages.
 */
async function killAndRedeliver(name: string, dying: Record<number, 'after' | 'before'>): Promise<FakeMessage[]> {
  const visitors = [vid(`${name}-a`), vid(`${name}-b`), vid(`${name}-c`)];
  const now = Date.now();
  const bodies: WriteMessage[] = visitors.flatMap((visitorId, k) => [
    { v: 1, visitorId, events: [page('pricing'), download()], exposures: [], now: now + k },
    { v: 1, visitorId, events: [page('blog')], exposures: [], now: now + k + 1 },
  ]);
  const first = fakeBatch(bodies);
  await handleWriteBatch(first.batch, serviceContext(dyingD1(dying), env));
  // The queue redelivers the retried messages — and, at least once, the acknowledged ones too.
  const again = fakeBatch(bodies, 2);
  await handleWriteBatch(again.batch, serviceContext(env.DB, env));
  expect(again.messages.every((m) => m.state === 'acked')).toBe(true);
  for (const visitorId of visitors) {
    expect(await count('events', 'visitor_id = ?', visitorId)).toBe(3);
    // page_view pricing (4) + download whitepaper (30) + page_view blog: computed inline once.
    const { score } = await visitor(visitorId);
    const reference = vid('reference');
    const fresh = [page('pricing'), download(), page('blog')].map(({ at: _at, ...e }) => e);
    await post('/v1/collect', { visitorId: reference, events: fresh });
    expect(score).toBe((await visitor(reference)).score);
  }
  const ids = bodies.flatMap((b) => b.events.map((e) => e.id));
  const stored = await env.DB.prepare(
    `SELECT COUNT(DISTINCT id) AS d, COUNT(*) AS n FROM events WHERE id IN (SELECT value FROM json_each(?))`,
  )
    .bind(JSON.stringify(ids))
    .first<{ d: number; n: number }>();
  expect(stored).toEqual({ d: ids.length, n: ids.length });
  return first.messages;
}

// D1 batch 1 reads the three visitors, batch 2 is their shared write (services/writes/shared-batch.ts).
describe('consumer killed mid-batch', () => {
  for (const when of ['after', 'before'] as const) {
    it(`dies ${when} one visitor's own D1 batch; redelivered, every event is stored exactly once`, async () => {
      // The shared write fails, each visitor then writes on its own (batches 3–5), and the first of those dies.
      const first = await killAndRedeliver(`kill-${when}`, { 2: 'before', 3: when });
      // One visitor's write died: its messages are left to the queue, the others acknowledged.
      expect(first.filter((m) => m.state === 'retried')).toHaveLength(2);
      expect(first.filter((m) => m.state === 'acked')).toHaveLength(4);
    });
  }
  it('dies after the shared write committed; every visitor reads again, nothing is stored twice', async () => {
    const first = await killAndRedeliver('kill-shared', { 2: 'after' });
    expect(first.every((m) => m.state === 'acked')).toBe(true);
  });
});

describe('a write queued before a sign-in, applied after it', () => {
  it('finds the events identify moved to the rotated id, and stores none of them twice', async () => {
    const v = vid('late');
    const e = download();
    // The page's decide queued its events; meanwhile a resend of them (collect) was stored…
    const { at: _at, ...wire } = e;
    await post('/v1/collect', { visitorId: v, events: [wire] });
    // …and the visitor signed in: identify moved this id's events to the rotated id's subject.
    await signIn(v, `m-${v}`, { industry: 'IT' });
    const late = fakeBatch([{ v: 1, visitorId: v, events: [e, page('pricing')], exposures: [], now: Date.now() }]);
    await handleWriteBatch(late.batch, serviceContext(env.DB, env));
    expect(late.messages[0]!.state).toBe('acked');
    expect(await count('events', 'id = ?', e.id)).toBe(1);
    expect(await count('events', 'visitor_id = ?', v)).toBe(2);
  });
});

describe("a goal event that reaches D1 before its page's queued exposure", () => {
  const inquiry = (at: number): NormalizedEvent => ({ id: eid('inq'), type: 'form_inquiry', at, props: { form: 'contact' } });
  const exposure = { experiment: 'exp_consideration_hero', arm: 'case_a', segment: 'consideration' };
  const conversion = (v: string) =>
    env.DB.prepare('SELECT arm, event_id FROM conversions WHERE experiment_id = ?1 AND visitor_id = ?2')
      .bind('exp_consideration_hero', v)
      .first<{ arm: string; event_id: string }>();

  /** An inquiry `afterMs` after the page was shown, collected (stored) before the page's queued write is applied. */
  async function inquireBeforeThePageLands(v: string, afterMs: number) {
    const shown = Date.now() - 2_000;
    const goal = inquiry(shown + afterMs);
    const { at: _at, ...wire } = goal;
    expect(
      (await json(await post('/v1/collect', { visitorId: v, events: [{ ...wire, at: new Date(goal.at).toISOString() }] }))).accepted,
    ).toBe(1);
    expect(await conversion(v)).toBeNull();
    const applyPage = () =>
      handleWriteBatch(
        fakeBatch([{ v: 1, visitorId: v, events: [page('pricing')], exposures: [exposure], now: shown }]).batch,
        serviceContext(env.DB, env),
      );
    await applyPage();
    return { goal, applyPage };
  }

  it('still converts the arm once the exposure is applied (the visitor inquired a second after the page)', async () => {
    const v = vid('quick-convert');
    const { goal, applyPage } = await inquireBeforeThePageLands(v, 1_000);
    expect(await conversion(v)).toEqual({ arm: 'case_a', event_id: goal.id });
    // Applying the page again (a redelivery) changes nothing.
    await applyPage();
    expect(await count('conversions', 'visitor_id = ?', v)).toBe(1);
  });

  it('a signed-in member who inquired a second after the page converts the arm too', async () => {
    // A member's browser stores its events under the browser's id (with the member's id on them),
    // while the page's profile is the member's: the goal must be found there as well.
    const v = await signIn(vid('member-convert'), `m-convert-${Date.now().toString(36)}`, { industry: 'SaaS', employees: 120 });
    const { goal } = await inquireBeforeThePageLands(v, 1_000);
    expect(await conversion(v)).toEqual({ arm: 'case_a', event_id: goal.id });
  });

  it('an inquiry made before the page was shown does not count', async () => {
    const v = vid('before-shown');
    await inquireBeforeThePageLands(v, -1_000);
    expect(await conversion(v)).toBeNull();
    expect(await count('exposures', 'visitor_id = ?', v)).toBe(1);
  });
});

describe('a decide with nothing new sends nothing', () => {
  it('no message, nothing to drain', async () => {
    const v = vid('nothing');
    await post('/v1/decide', { visitorId: v, slots: ['hero'], events: [pageView()] });
    const res = await fetchNoDrain('POST', '/v1/decide', { visitorId: v, slots: ['hero'], events: [] });
    expect((await json(res)).slots).toHaveProperty('hero');
    const { pendingWrites } = await import('../../worker/services/writes/tracker');
    expect(pendingWrites()).toBe(0);
  });
});

// D1 batch 1 reads the visitors, batch 2 is their shared write (services/writes/shared-batch.ts,
// services/profile-writes.ts: a few statements for all of them).
// 25 visitors: the consumer computes them over three turns of the event loop (VISITORS_PER_TURN).
describe('one queue batch, many visitors', () => {
  it('reads them in one D1 batch and writes them in one more, each visitor exactly as alone', async () => {
    const bodies = (name: string): WriteMessage[] =>
      Array.from({ length: 25 }, (_, k) => ({
        v: 1,
        visitorId: vid(`${name}-${k}`),
        events: [page('pricing'), ...(k % 2 ? [download()] : [])],
        exposures: [],
        now: Date.now() + k,
      }));
    await handleWriteBatch(fakeBatch(bodies('together-warm')).batch, serviceContext(env.DB, env)); // the configuration is cached
    const meter: D1Meter = { reads: 0, batches: 0, batchedStatements: 0 };
    const sent = bodies('together');
    const { batch, messages } = fakeBatch(sent);
    await handleWriteBatch(batch, serviceContext(meteredD1(env.DB, meter), env));
    expect(messages.every((m) => m.state === 'acked')).toBe(true);
    // 25 visitors read by one statement in one batch; in the other their 25 new profile rows by one
    // statement and their 38 events by one more.
    expect(meter).toEqual({ reads: 0, batches: 2, batchedStatements: 3 });
    for (const [k, body] of sent.entries()) {
      expect(await count('events', 'visitor_id = ?', body.visitorId)).toBe(k % 2 ? 2 : 1);
      const reference = vid('together-ref');
      await post('/v1/collect', { visitorId: reference, events: body.events.map(({ at: _at, ...e }) => ({ ...e, id: eid('ref') })) });
      expect((await visitor(body.visitorId)).score).toBe((await visitor(reference)).score);
    }
  });

  it('known and new visitors and a member’s two browsers in one batch: each stored once, scored as alone', async () => {
    // Known visitors (their rows are updated), new ones (inserted), and two browsers of one member
    // (one profile row: only one of them can write it in the shared batch; the other writes alone).
    const known = Array.from({ length: 6 }, (_, k) => vid(`mixed-known-${k}`));
    for (const v of known) expect((await post('/v1/collect', { visitorId: v, events: [pageView('blog')] })).status).toBe(200);
    const memberId = `m-mixed-${Date.now().toString(36)}`;
    const browsers = [await signIn(vid('mixed-b1'), memberId, { industry: 'SaaS', employees: 120 })];
    browsers.push(await signIn(vid('mixed-b2'), memberId, { industry: 'SaaS', employees: 120 }));
    const fresh = Array.from({ length: 6 }, (_, k) => vid(`mixed-new-${k}`));
    const bodies: WriteMessage[] = [...known, ...browsers, ...fresh].map((visitorId, k) => ({
      v: 1,
      visitorId,
      events: [page('pricing'), download()],
      exposures: [],
      now: Date.now() + k,
    }));
    const meter: D1Meter = { reads: 0, batches: 0, batchedStatements: 0 };
    const { batch, messages } = fakeBatch(bodies);
    await handleWriteBatch(batch, serviceContext(meteredD1(env.DB, meter), env));
    expect(messages.every((m) => m.state === 'acked')).toBe(true);
    for (const body of bodies) for (const e of body.events) expect(await count('events', 'id = ?', e.id)).toBe(1);
    // Each known visitor: its blog page before, the pricing page and the download now.
    const reference = vid('mixed-ref');
    await post('/v1/collect', { visitorId: reference, events: [pageView('blog')] });
    await post('/v1/collect', { visitorId: reference, events: [page('pricing'), download()].map(({ at: _at, ...e }) => e) });
    for (const v of known) expect((await visitor(v)).score).toBe((await visitor(reference)).score);
    // The member: both browsers' pages and downloads count once each, as two collects would count them.
    expect(await count('events', "member_id = ? AND type = 'download'", memberId)).toBe(2);
    const referenceId = `m-mixed-ref-${Date.now().toString(36)}`;
    for (const label of ['mixed-ref-b1', 'mixed-ref-b2']) {
      const b = await signIn(vid(label), referenceId, { industry: 'SaaS', employees: 120 });
      await post('/v1/collect', { visitorId: b, events: [page('pricing'), download()].map(({ at: _at, ...e }) => e) });
    }
    const score = (id: string) => env.DB.prepare('SELECT score FROM members WHERE id = ?').bind(id).first<{ score: number }>();
    expect((await score(memberId))!.score).toBeGreaterThan(0);
    expect((await score(memberId))!.score).toBe((await score(referenceId))!.score);
    // The shared batch, then the member's second browser on its own (a read and a write).
    expect(meter.batches).toBe(3);
  });
});
