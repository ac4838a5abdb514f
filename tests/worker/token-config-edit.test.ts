/**
 * A profile token across configuration edits (docs/storage.md, "Which configuration a token
 * fits"), through the real worker and a local D1: an edit that changes nothing a token holds —
 * a variant's HTML, an alert the failing-delivery path switches off — bumps the configuration
 * version, and the next page's token still counts the page whose writes are in the queue (with
 * no read once the isolate has the new configuration; merged into the read while it has none),
 * on the decide, the collect and the rewrite path. An edit of the scoring rules does not let it.
 * The page is held in the test's own "queue" where it must still be missing from D1, so the lag
 * is certain, not a race.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { readProfileToken } from '../../worker/lib/profile-token';
import { serviceContext } from '../../worker/services/context';
import { decideQueued, type WritesProducer } from '../../worker/services/decide';
import { validateEvents } from '../../worker/services/events';
import type { WriteMessage } from '../../worker/services/writes/message';
import { settled } from '../../worker/services/writes/tracker';
import { api, configVersion } from './admin-helpers';
import { count, drainWrites, eid, fetchNoDrain, json, loadDemo, pageView, signIn, vid } from './helpers';
import { putPage, splitDecision, throughEdge } from './origin/client';
import { consume, createAlert, crossIntoHotLead, recordingQueue, script } from './receiver/client';
import { recordingWritesQueue } from './writes-recorder';
import { countedDb, decideNoDrain } from './storage-probes';

const SECRET = 'dev-profile-secret';
const TRAITS = { employees: 200, industry: 'IT' };
const SLOTS = ['hero', 'cta'];
const NEW_HERO = '<h1>料金を見た方へ（改訂）</h1>';

const download = () => ({ id: eid('dl'), type: 'download', props: { asset: '/wp.pdf' } });
const member = (label: string) => signIn(vid(label), `m-${label}-${crypto.randomUUID()}`, TRAITS);

/** A decide through the worker, answered before its writes reach D1. */
const decide = decideNoDrain;

/**
 * A signed-in member who downloaded (in D1) and then saw pricing on a page whose writes are held
 * back: only the token knows the pricing view, and with it the member is a hot lead.
 */
async function lagging(label: string) {
  const v = await member(label);
  const first = await decide({ visitorId: v, events: [download()] });
  expect(first.body.segment).toBeNull();
  await drainWrites();
  const held: WriteMessage[] = [];
  const now = Date.now();
  const pricing = pageView('pricing');
  const { events } = validateEvents([pricing], { now, source: 'browser' });
  const out = await decideQueued(
    serviceContext(env.DB, env, now),
    { visitorId: v, slots: SLOTS, events },
    { send: async (msg: WriteMessage) => void held.push(msg) } as unknown as WritesProducer,
    { secret: SECRET },
  );
  // decideQueued counted the message as in flight; it never is (it stays "in the queue").
  settled(held.length);
  expect(held).toHaveLength(1);
  expect(out.extra.segment?.key).toBe('hot_lead');
  expect(await count('events', 'visitor_id = ? AND id = ?', v, pricing.id)).toBe(0);
  const claims = (await readProfileToken(SECRET, out.token!))!;
  expect(claims.l).toBe(pricing.id);
  return { v, token: out.token!, version: claims.c };
}

/** Edits the hot lead's hero HTML through the admin API (a new configuration version). */
async function editHeroHtml() {
  const before = await configVersion();
  const put = await api('PUT', '/variants/hot_lead_hero', { name: 'hero', html: NEW_HERO, enabled: true });
  expect(put.status).toBe(200);
  expect(await configVersion()).not.toBe(before);
}

/** A decide of someone else: this isolate reads the stamp and loads the configuration it names. */
async function someoneElseReads() {
  const other = await decide({ visitorId: vid('other'), events: [pageView()] });
  expect(other.source).toBe('read');
}

describe('a token across an edit that changes nothing it holds', () => {
  beforeAll(loadDemo);

  it('a variant HTML edit: the next decide answers from the token with no read, counts the queued page, and shows the new HTML', async () => {
    const { v, token, version } = await lagging('html');
    await editHeroHtml();
    await someoneElseReads();
    const next = await decide({ visitorId: v, token, events: [pageView()] });
    expect(next.source).toBe('token');
    expect(next.usage.reads).toBe(0);
    expect(next.body.segment?.key).toBe('hot_lead');
    expect(next.body.slots.hero.content.html).toBe(NEW_HERO);
    // The next token is of the new version, with the chain's read time and queued page.
    const claims = (await readProfileToken(SECRET, next.body.token))!;
    expect(claims.c).not.toBe(version);
    expect(claims.c).toBe(await configVersion());
    await drainWrites();
  });

  it('right after the edit (this isolate has no configuration): the read merges the token, not D1 alone', async () => {
    const { v, token } = await lagging('html-cold');
    await editHeroHtml();
    const next = await decide({ visitorId: v, token, events: [] });
    expect(next.source).toBe('read+token');
    expect(next.usage.reads).toBe(1);
    expect(next.body.segment?.key).toBe('hot_lead');
    expect(next.body.slots.hero.content.html).toBe(NEW_HERO);
  });

  it('an alert switched off by a 410 from its receiver (a new version): the queued page still counts', async () => {
    const alert = await createAlert('shape-gone');
    await script('shape-gone', { responses: [{ status: 410 }] });
    const { v, token } = await lagging('alert');
    const before = await configVersion();
    const queue = recordingQueue();
    await consume(await crossIntoHotLead(queue, `m-shape-gone-${crypto.randomUUID()}`), queue);
    const shown = await api('GET', `/alerts/${alert.id}`);
    expect(shown.body).toMatchObject({ enabled: false, disabledReason: 'gone' });
    expect(await configVersion()).not.toBe(before);
    // The failing path dropped this isolate's configuration: the read merges the token…
    const merged = await decide({ visitorId: v, token, events: [] });
    expect(merged.source).toBe('read+token');
    expect(merged.body.segment?.key).toBe('hot_lead');
    // …and once the isolate has the new configuration, the same token needs no read at all.
    const unread = await decide({ visitorId: v, token, events: [] });
    expect(unread.source).toBe('token');
    expect(unread.usage.reads).toBe(0);
    expect(unread.body.segment?.key).toBe('hot_lead');
  });

  it('a collect after the edit answers the next token: the queued page and the download, with no read on the next page', async () => {
    const { v, token } = await lagging('collect');
    await editHeroHtml();
    const dl = download();
    const res = await fetchNoDrain('POST', '/v1/collect', { visitorId: v, events: [dl], token });
    expect(res.status).toBe(200);
    const collected = await json(res);
    expect(collected.accepted).toBe(1);
    expect(collected.token).toBeTypeOf('string');
    const claims = (await readProfileToken(SECRET, collected.token))!;
    expect(claims.c).toBe(await configVersion());
    expect(claims.l).toBe((await readProfileToken(SECRET, token))!.l);
    const next = await decide({ visitorId: v, token: collected.token, events: [] });
    expect(next.source).toBe('token');
    expect(next.usage.reads).toBe(0);
    expect(next.body.segment?.key).toBe('hot_lead');
    await drainWrites();
  });

  it('rewrite mode: after the edit, the dw_pt cookie of the previous page still stands in for the read', async () => {
    const v = await member('rw');
    const HTML = { 'content-type': 'text/html; charset=utf-8' };
    await putPage('/t/shape', {
      headers: HTML,
      parts: [
        '<!doctype html><html><head><meta charset="utf-8"><meta name="dw:category" content="blog"></head><body>' +
          '<div data-dw-slot="hero"><h1>既定</h1></div></body></html>',
      ],
    });
    /** One page through the edge, its writes kept out of D1; the SQL it prepared for this visitor. */
    const visit = async (cookie: string) => {
      const { sql, db } = countedDb();
      const { res, settled: done } = await throughEdge('/t/shape', {
        headers: { cookie },
        bindings: { DB: db, DECIDE_WRITES: 'queue', WRITES_QUEUE: recordingWritesQueue().queue },
      });
      const html = await res.text();
      await done();
      // A decide without a read may re-check the stamp after answering: not a read of this visitor.
      return { decision: splitDecision(html).decision, reads: sql.filter((q) => !/key = 'config_version'$/.test(q.trim())) };
    };
    const first = await visit(`dw_vid=${v}`);
    expect(first.reads.length).toBeGreaterThan(0);
    const token = first.decision.token as string;
    expect((await readProfileToken(SECRET, token))?.l).toBeTypeOf('string');
    await editHeroHtml();
    await someoneElseReads();
    const next = await visit(`dw_vid=${v}; dw_pt=${token}`);
    expect(next.reads).toEqual([]);
    // Both page views (the first still "in the queue") are counted by the next token.
    const after = (await readProfileToken(SECRET, next.decision.token))!;
    expect(after.c).toBe(await configVersion());
    expect(after.w?.['page_view.category=blog']?.[0]).toBe(2);
  });
});

describe('a token across an edit that changes what it holds', () => {
  beforeAll(loadDemo);

  it('a scoring rule edit: the token is not used, the decide reads (D1 alone)', async () => {
    const { v, token } = await lagging('scoring');
    const { body: current } = await api('GET', '/scoring');
    const rules = current.rules.map((r: { id: string; points: number }) => (r.id === 'download' ? { ...r, points: r.points + 5 } : r));
    expect((await api('PUT', '/scoring', { rules, settings: current.settings })).status).toBe(200);
    await someoneElseReads();
    const next = await decide({ visitorId: v, token, events: [] });
    expect(next.source).toBe('read');
    expect(next.usage.reads).toBe(1);
    // D1 alone lacks the queued pricing view: the token's page is not counted in this answer.
    expect(next.body.segment).toBeNull();
    await loadDemo();
  });

  it('a new behaviour window: the token is not used, the decide reads', async () => {
    const { v, token } = await lagging('window');
    const { body: segment } = await api('GET', '/segments/info_gathering');
    const rule = {
      ...segment.rule,
      conditions: [
        ...segment.rule.conditions,
        { type: 'behavior', event: 'page_view', where: { category: 'blog' }, withinDays: 7, op: 'gte', count: 1 },
      ],
    };
    expect((await api('PUT', '/segments/info_gathering', { ...segment, rule })).status).toBe(200);
    await someoneElseReads();
    const next = await decide({ visitorId: v, token, events: [] });
    expect(next.source).toBe('read');
    expect(next.usage.reads).toBe(1);
    await loadDemo();
  });
});
