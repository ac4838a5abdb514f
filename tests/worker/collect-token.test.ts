/**
 * A collect between two pages on the queued path (docs/storage.md, "A collect between two
 * pages"), through the real worker and a local D1, and a browser's first page with a client-made
 * id (`new`). The "queue" here is held by the test where a page must still be in it: the decide
 * runs `decideQueued` with a producer that keeps the message, and the test hands it to the real
 * writes queue later — so "the page is not in D1 yet" is certain, not a race.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_MAX_AGE_MS, type TokenClaims } from '../../worker/core/profile-token';
import { readProfileToken, signProfileToken } from '../../worker/lib/profile-token';
import { serviceContext } from '../../worker/services/context';
import { decideQueued, type WritesProducer } from '../../worker/services/decide';
import { validateEvents } from '../../worker/services/events';
import type { WriteMessage } from '../../worker/services/writes/message';
import { queued, settled } from '../../worker/services/writes/tracker';
import { decideNoDrain } from './storage-probes';
import { call, count, drainWrites, eid, fetchNoDrain, json, loadDemo, pageView, post, SERVER, signIn, vid } from './helpers';

const SECRET = 'dev-profile-secret';
const TRAITS = { employees: 200, industry: 'IT' };
const SLOTS = ['hero', 'cta'];

const download = () => ({ id: eid('dl'), type: 'download', props: { asset: '/wp.pdf' } });

/** A decide through the worker, answered before its writes reach D1. */
const decide = decideNoDrain;

async function collect(body: Record<string, unknown>) {
  const res = await fetchNoDrain('POST', '/v1/collect', body);
  expect(res.status).toBe(200);
  return json(res);
}

/** A page decided with its writes held back: the message is returned instead of queued. */
async function heldPage(visitorId: string, raw: unknown[]) {
  const held: WriteMessage[] = [];
  const now = Date.now();
  const { events } = validateEvents(raw, { now, source: 'browser' });
  const out = await decideQueued(
    serviceContext(env.DB, env, now),
    { visitorId, slots: SLOTS, events },
    { send: async (msg: WriteMessage) => void held.push(msg) } as unknown as WritesProducer,
    { secret: SECRET },
  );
  expect(held).toHaveLength(1);
  // decideQueued counted the message as in flight; it is not, until released.
  settled(1);
  expect(out.token).toBeTypeOf('string');
  return {
    token: out.token!,
    /** Hands the held page to the real writes queue and waits until it is applied. */
    release: async () => {
      queued(1);
      await env.WRITES_QUEUE.send(held[0]!, { contentType: 'json' });
      await drainWrites();
    },
  };
}

/** The stored score of a browser's profile: its member's once signed in. */
async function score(visitorId: string): Promise<number> {
  const row = await env.DB.prepare(
    'SELECT COALESCE(m.score, v.score) AS score FROM visitors v LEFT JOIN members m ON m.id = v.member_id WHERE v.id = ?',
  )
    .bind(visitorId)
    .first<{ score: number }>();
  return row?.score ?? -1;
}

/** How many times each of `ids` is stored for this visitor id. */
async function storedTimes(visitorId: string, ids: string[]): Promise<number[]> {
  return Promise.all(ids.map((id) => count('events', 'visitor_id = ? AND id = ?', visitorId, id)));
}

async function resigned(token: string, edit: (c: TokenClaims) => void, secret = SECRET): Promise<string> {
  const claims = (await readProfileToken(SECRET, token))!;
  edit(claims);
  return (await signProfileToken(secret, claims))!;
}

const member = (label: string) => signIn(vid(label), `tok-${vid(label)}`, TRAITS);

describe('a collect between two pages (queued path)', () => {
  beforeAll(loadDemo);

  it('page queued → collect → the next decide sees both, with no read; D1 ends with every event once', async () => {
    const v = await member('gap');
    const pricing = pageView('pricing');
    const page = await heldPage(v, [pricing]);
    expect(await count('events', 'visitor_id = ?', v)).toBe(0); // the page is still "in the queue"

    const dl = download();
    const collected = await collect({ visitorId: v, events: [dl], token: page.token });
    expect(collected.accepted).toBe(1);
    expect(collected.token).toBeTypeOf('string');
    const before = (await readProfileToken(SECRET, page.token))!;
    const after = (await readProfileToken(SECRET, collected.token))!;
    // The chain's read time and queued page stay; the download is counted on top of the page.
    expect(after.t).toBe(before.t);
    expect(after.l).toBe(before.l);
    expect(after.l).toBe(pricing.id);
    expect(after.s).toBeGreaterThan(before.s);

    // Without the collect's token the next decide reads D1: the download, not the queued page.
    const gap = await decide({ visitorId: v });
    expect(gap.source).toBe('read');
    expect(gap.body.segment?.key).not.toBe('hot_lead');
    // With it: both, and no D1 call.
    const next = pageView();
    const seen = await decide({ visitorId: v, token: collected.token, events: [next] });
    expect(seen.source).toBe('token');
    expect(seen.usage.reads).toBe(0);
    expect(seen.body.segment?.key).toBe('hot_lead');
    const answered = (await readProfileToken(SECRET, seen.body.token))!;

    await drainWrites();
    await page.release();
    // Exactly once each, and D1's score is the one the answers computed.
    expect(await storedTimes(v, [pricing.id, dl.id, next.id])).toEqual([1, 1, 1]);
    expect(await score(v)).toBeCloseTo(answered.s, 6);
    const read = await decide({ visitorId: v });
    expect(read.source).toBe('read');
    expect(read.body.segment?.key).toBe('hot_lead');
    await drainWrites();
  });

  it('the page was already applied: the collect answers a token of what it read and wrote, and the next decide sees both with no read', async () => {
    const v = await member('applied');
    const first = await post('/v1/decide', { visitorId: v, slots: SLOTS, events: [pageView('pricing')] }); // drains
    const { token } = await json(first);
    expect(token).toBeTypeOf('string');
    const before = (await readProfileToken(SECRET, token))!;
    const collected = await collect({ visitorId: v, events: [download()], token });
    expect(collected.accepted).toBe(1);
    const claims = (await readProfileToken(SECRET, collected.token))!;
    // A read of its own: a new read time, no page pending.
    expect(claims.t).toBeGreaterThanOrEqual(before.t);
    expect(claims.l).toBeUndefined();
    expect(claims.s).toBeCloseTo(await score(v), 6);
    const next = await decide({ visitorId: v, token: collected.token });
    expect(next.source).toBe('token');
    expect(next.usage.reads).toBe(0);
    expect(next.body.segment?.key).toBe('hot_lead');
    // Without a token the collect answers none (the next decide reads, as before).
    expect((await collect({ visitorId: v, events: [pageView()] })).token).toBeUndefined();
    await drainWrites();
  });

  it('a foreign, tampered or other-secret token on collect is ignored; an expired one carries its queued page on, still expired', async () => {
    const v = await member('forged');
    const page = await heldPage(v, [pageView('pricing')]);
    const other = await heldPage(vid('someone-else'), [pageView('pricing')]);
    const [body, sig] = page.token.split('.');
    const flipped = `${body}.${sig!.startsWith('A') ? 'B' : 'A'}${sig!.slice(1)}`;
    const otherSecret = await resigned(page.token, () => {}, 'another-secret-another-secret-xx');
    for (const token of [other.token, flipped, otherSecret, 'not-a-token']) {
      const out = await collect({ visitorId: v, events: [pageView()], token });
      expect(out.accepted).toBe(1);
      expect(out.token).toBeUndefined();
    }
    // Expired: the read made anyway gives traits and erasure, as on a decide's read+token; the
    // answer keeps the old read time, so the next decide reads and merges it.
    const old = await resigned(page.token, (c) => {
      c.t = Date.now() - TOKEN_MAX_AGE_MS - 1000;
    });
    const merged = await collect({ visitorId: v, events: [download()], token: old });
    expect(merged.token).toBeTypeOf('string');
    const next = await decide({ visitorId: v, token: merged.token });
    expect(next.source).toBe('read+token');
    expect(next.body.segment?.key).toBe('hot_lead');
    // Once D1 holds the page, an expired token's contents are not used: the answer's token is
    // built from this collect's own read.
    await drainWrites();
    await page.release();
    await other.release();
    const late = await collect({ visitorId: v, events: [pageView()], token: old });
    const fresh = (await readProfileToken(SECRET, late.token))!;
    expect(fresh.t).toBeGreaterThan(Date.now() - TOKEN_MAX_AGE_MS);
    expect(fresh.l).toBeUndefined();
    expect(fresh.s).toBeCloseTo(await score(v), 6);
  });

  it('a token cannot raise a stored score or change a trait through a collect', async () => {
    const v = await member('raise');
    const page = await heldPage(v, [pageView('blog')]);
    const honest = await member('raise-honest');
    const control = await heldPage(honest, [pageView('blog')]);
    // A token signed with the real secret but claiming a huge score and other traits.
    const forged = await resigned(page.token, (c) => {
      c.s = 999;
      c.r = { industry: 'Forged', employees: 99999 };
    });
    const out = await collect({ visitorId: v, events: [download()], token: forged });
    await collect({ visitorId: honest, events: [download()], token: control.token });
    // The answered token is the worker's own output (as the decide that read it would give), the
    // traits are the read's, and D1 never took anything from it.
    const claims = (await readProfileToken(SECRET, out.token))!;
    expect(claims.r?.industry).toBe('IT');
    await drainWrites();
    await page.release();
    await control.release();
    expect(await score(honest)).toBeGreaterThan(0);
    expect(await score(v)).toBeCloseTo(await score(honest), 6);
    expect(await score(v)).toBeLessThan(999);
  });
});

describe('a first page whose id the client just made (`new`)', () => {
  beforeAll(loadDemo);

  it('is answered with no read, and its writes reach D1 under that id', async () => {
    await decide({ visitorId: vid('warm-new') }); // the isolate has seen the configuration stamp
    await drainWrites();
    const v = vid('fresh');
    const pv = pageView();
    const out = await decide({ visitorId: v, new: true, events: [pv] });
    expect(out.usage).toEqual({ reads: 0, batches: 0 });
    expect(out.source).toBe('new');
    expect(out.body.visitorId).toBe(v);
    expect(out.body.token).toBeTypeOf('string');
    await drainWrites();
    expect(await storedTimes(v, [pv.id])).toEqual([1]);
    expect(await score(v)).toBeGreaterThan(0);
    // The next page, with the token: still no read.
    const next = await decide({ visitorId: v, token: out.body.token, events: [pageView()] });
    expect(next.source).toBe('token');
    await drainWrites();
  });

  it('a client that says "new" of a stored id gets an empty profile for its page only: the stored profile keeps counting', async () => {
    const v = await member('liar');
    await post('/v1/decide', { visitorId: v, slots: SLOTS, events: [pageView('pricing'), download()] });
    const stored = await score(v);
    expect((await json(await post('/v1/decide', { visitorId: v, slots: SLOTS }))).segment?.key).toBe('hot_lead');
    const lie = await decide({ visitorId: v, new: true, events: [pageView()] });
    expect(lie.source).toBe('new');
    // An empty profile: no segment, and a token of a score never above the stored one.
    expect(lie.body.segment).toBeNull();
    expect((await readProfileToken(SECRET, lie.body.token))!.s).toBeLessThan(stored);
    await drainWrites();
    // The consumer applied the page to D1's real profile: nothing lost, nothing reset.
    expect(await score(v)).toBeGreaterThan(stored);
    expect(await count('events', 'visitor_id = ?', v)).toBe(3);
    expect((await json(await post('/v1/decide', { visitorId: v, slots: SLOTS }))).segment?.key).toBe('hot_lead');
  });

  it('an erased visitor saying "new" stores nothing', async () => {
    const memberId = `erased-new-${vid()}`;
    const v = await signIn(vid('erased-new'), memberId, TRAITS);
    await post('/v1/decide', { visitorId: v, slots: SLOTS, events: [pageView()] });
    expect((await call('DELETE', `/v1/server/members/${memberId}`, undefined, SERVER)).status).toBe(204);
    const out = await decide({ visitorId: v, new: true, events: [pageView()] });
    expect(out.source).toBe('new');
    await drainWrites();
    expect(await count('events', 'visitor_id = ?', v)).toBe(0);
  });

  it('only `true` is accepted', async () => {
    const res = await fetchNoDrain('POST', '/v1/decide', { visitorId: vid('bad-new'), new: 'yes', slots: SLOTS });
    expect(res.status).toBe(400);
  });
});
