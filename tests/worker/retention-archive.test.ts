/**
 * Event retention in workerd with a real local D1 and R2: the horizon to the millisecond, chunks
 * that stop and resume, the archive written (and complete) before anything is deleted, an R2
 * failure that deletes nothing, one run at a time, erasure reaching archived lines, and
 * retention without an archive. Retention runs 300 days from now, so its cut (400 days before
 * that) falls 100 days ago and events the server API accepts today are old enough to go.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { ownerOf, retentionCut } from '../../worker/core/retention';
import { DAY_MS } from '../../worker/core/types';
import { createDb } from '../../worker/db/client';
import { runRetention } from '../../worker/services/retention/job';
import { tombstoneKey } from '../../worker/services/tombstones';
import { call, count, eid, json, loadDemo, post, SERVER, signIn, vid } from './helpers';

const NOW = Date.now();
const LATER = NOW + 300 * DAY_MS;
const CUT = retentionCut(LATER, 400);
const D1 = CUT - 50 * DAY_MS + 10 * 3_600_000;
const D2 = CUT - 20 * DAY_MS + 10 * 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const MIN = 60_000;

type Sent = { id: string; type: string; at: string; props: Record<string, unknown> };
const view = (at: number, category = 'pricing'): Sent => ({ id: eid('pv'), type: 'page_view', at: iso(at), props: { category } });

async function collect(memberId: string, events: Sent[]) {
  const res = await post('/v1/server/collect', { memberId, events }, SERVER);
  expect(res.status).toBe(200);
  return json(res);
}

/** Every archived line, by object key. */
async function archived(): Promise<Map<string, any[]>> {
  const out = new Map<string, any[]>();
  let cursor: string | undefined;
  do {
    const page = await env.ARCHIVE.list({ prefix: 'events/', cursor });
    for (const o of page.objects) {
      const text = (await (await env.ARCHIVE.get(o.key))!.text()).trim();
      out.set(o.key, text ? text.split('\n').map((l) => JSON.parse(l)) : []);
    }
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return out;
}
const allLines = async () => [...(await archived()).values()].flat();

/** The archive, with a check at each write that every line it holds is still in D1. */
const puts: { key: string; lines: number; stillInD1: number }[] = [];
const checkingArchive = new Proxy(env.ARCHIVE, {
  get(target, prop) {
    if (prop === 'put')
      return async (key: string, body: string, opts?: R2PutOptions) => {
        const ids = body
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l).id);
        const n = await count('events', 'id IN (SELECT value FROM json_each(?))', JSON.stringify(ids));
        puts.push({ key, lines: ids.length, stillInD1: n });
        return target.put(key, body, opts);
      };
    const value = Reflect.get(target, prop, target);
    return typeof value === 'function' ? value.bind(target) : value;
  },
});
const failingArchive = new Proxy(env.ARCHIVE, {
  get(target, prop) {
    if (prop === 'put') return () => Promise.reject(new Error('R2 is unavailable'));
    const value = Reflect.get(target, prop, target);
    return typeof value === 'function' ? value.bind(target) : value;
  },
});

let old: { subject: string; id: string }[] = [];
let memberBVisitor = '';

beforeAll(async () => {
  await loadDemo();
  await collect('arc-a', [
    ...[0, 1, 2, 3, 4].map((k) => view(D1 + k * MIN)),
    ...[0, 1, 2].map((k) => view(D2 + k * MIN, 'blog')),
    view(CUT - 1),
    view(CUT),
    view(CUT + DAY_MS),
  ]);
  await collect('arc-b', [...[0, 1, 2].map((k) => view(D1 + 60 * MIN + k * MIN)), ...[0, 1].map((k) => view(D2 + 60 * MIN + k * MIN))]);
  memberBVisitor = await signIn(vid('arcb'), 'arc-b');
  await post('/v1/collect', { visitorId: memberBVisitor, events: [{ id: eid('pv'), type: 'page_view', props: { category: 'pricing' } }] });
  const { results } = await env.DB.prepare('SELECT subject, id FROM events WHERE at < ?1 ORDER BY at')
    .bind(CUT)
    .all<{ subject: string; id: string }>();
  old = results;
});

describe('the server API and the horizon', () => {
  it('refuses an event dated before the horizon, and takes the others of the batch', async () => {
    const res = await post(
      '/v1/server/collect',
      { memberId: 'arc-c', events: [view(NOW - 401 * DAY_MS), view(NOW - 399 * DAY_MS)] },
      SERVER,
    );
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.accepted).toBe(1);
    expect(body.rejected).toEqual([{ index: 0, error: 'at: older than the event retention horizon' }]);
    const alone = await post('/v1/server/collect', { memberId: 'arc-c', events: [view(NOW - 500 * DAY_MS)] }, SERVER);
    expect(alone.status).toBe(400);
    expect((await json(alone)).error.code).toBe('invalid_events');
    await env.DB.prepare(`DELETE FROM events WHERE member_id = 'arc-c'`).run();
  });
});

describe('retention with an archive', () => {
  it('deletes nothing when the archive cannot be written', async () => {
    expect(old.length).toBe(14);
    const before = await count('events');
    const run = await runRetention({ d1: env.DB, db: createDb(env.DB), now: LATER }, { archive: failingArchive });
    expect(run.error).toMatch(/^archive: R2 is unavailable/);
    expect(run.deleted).toBe(0);
    expect(await count('events')).toBe(before);
    expect(await count('event_folds')).toBe(0);
    expect((await archived()).size).toBe(0);
  });

  it('works in chunks that resume where the last run stopped, archiving each before deleting it', async () => {
    const first = await runRetention(
      { d1: env.DB, db: createDb(env.DB), now: LATER },
      { archive: checkingArchive, chunkRows: 2, maxChunks: 1 },
    );
    expect(first).toMatchObject({ chunks: 1, deleted: 2, archived: 2, done: false, cut: CUT, horizonDays: 400 });
    expect(await count('events', 'at < ?', CUT)).toBe(12);
    const second = await runRetention(
      { d1: env.DB, db: createDb(env.DB), now: LATER },
      { archive: checkingArchive, chunkRows: 2, maxChunks: 2 },
    );
    expect(second).toMatchObject({ chunks: 2, deleted: 4, done: false });
    const rest = await runRetention({ d1: env.DB, db: createDb(env.DB), now: LATER }, { archive: checkingArchive, chunkRows: 2 });
    expect(rest.done).toBe(true);
    expect(first.deleted + second.deleted + rest.deleted).toBe(14);
    // Every object was written while all of its lines were still in D1.
    expect(puts.length).toBe(first.chunks + second.chunks + rest.chunks);
    for (const p of puts) expect(p.stillInD1).toBe(p.lines);
  });

  it('deleted exactly the events before the cut, to the millisecond', async () => {
    expect(await count('events', 'at < ?', CUT)).toBe(0);
    expect(await count('events', `member_id = 'arc-a' AND at >= ?`, CUT)).toBe(2);
    expect(await count('events', `member_id = 'arc-a' AND at = ?`, CUT)).toBe(1);
  });

  it('archived every deleted event once, under its UTC day', async () => {
    const objects = await archived();
    const lines = [...objects.values()].flat();
    expect(lines.map((l) => `${l.subject}|${l.id}`).sort()).toEqual(old.map((o) => `${o.subject}|${o.id}`).sort());
    for (const [key, list] of objects) {
      for (const l of list) expect(key.startsWith(`events/${iso(l.at).slice(0, 10)}/`)).toBe(true);
    }
    expect(new Set([...objects.keys()].map((k) => k.slice(0, 17)))).toEqual(
      new Set([`events/${iso(D1).slice(0, 10)}`, `events/${iso(D2).slice(0, 10)}`, `events/${iso(CUT - 1).slice(0, 10)}`]),
    );
    // A line is the row: props as JSON, the score it gave.
    const line = lines.find((l) => l.member_id === 'arc-a')!;
    expect(line).toMatchObject({ type: 'page_view', props: { category: 'pricing' }, visitor_id: null });
    expect(typeof line.score_after).toBe('number');
  });

  it('folded the deleted events into the members’ folds', async () => {
    const { results } = await env.DB.prepare('SELECT member_id, profile, until FROM event_folds ORDER BY member_id').all<any>();
    expect(results.map((r) => r.member_id)).toEqual(['arc-a', 'arc-b']);
    const a = JSON.parse(results[0].profile);
    expect(a.totals.page_view).toBe(9);
    expect(results[0].until).toBe(CUT - 1);
    expect(JSON.parse(results[1].profile).totals.page_view).toBe(5);
  });

  it('runs one at a time', async () => {
    await env.DB.prepare('UPDATE retention_state SET lease_until = ?1 WHERE id = 1')
      .bind(Date.now() + 60_000)
      .run();
    const run = await runRetention({ d1: env.DB, db: createDb(env.DB), now: LATER }, { archive: env.ARCHIVE });
    expect(run.busy).toBe(true);
    await env.DB.prepare('UPDATE retention_state SET lease_until = 0 WHERE id = 1').run();
    const last = await env.DB.prepare('SELECT last_run FROM retention_state WHERE id = 1').first<{ last_run: string }>();
    expect(JSON.parse(last!.last_run)).toMatchObject({ done: true });
  });
});

describe('erasure with an archive', () => {
  it('removes the member’s archived lines at the next run, and keeps everyone else’s', async () => {
    expect((await allLines()).filter((l) => l.member_id === 'arc-b').length).toBe(5);
    const res = await call('DELETE', '/v1/server/members/arc-b', undefined, SERVER);
    expect(res.status).toBe(204);
    expect(await count('event_folds', `member_id = 'arc-b'`)).toBe(0);
    expect(await count('archive_erasures')).toBeGreaterThanOrEqual(2);

    const run = await runRetention({ d1: env.DB, db: createDb(env.DB), now: LATER }, { archive: env.ARCHIVE });
    expect(run.erasure).toMatchObject({ lines: 5, pending: 0 });
    const lines = await allLines();
    expect(lines.filter((l) => l.member_id === 'arc-b' || l.visitor_id === memberBVisitor)).toEqual([]);
    expect(lines.filter((l) => l.member_id === 'arc-a').length).toBe(9);
    expect(await count('archive_erasures')).toBe(0);
    const owner = ownerOf(await tombstoneKey('m:arc-b'));
    const left = await env.DB.prepare('SELECT COUNT(*) AS n FROM archive_index WHERE id >= (?1 << 16) AND id < ((?1 + 1) << 16)')
      .bind(owner)
      .first<{ n: number }>();
    expect(left!.n).toBe(0);
    // A's index entries are still there: its own erasure would find its days.
    const ownerA = ownerOf(await tombstoneKey('m:arc-a'));
    const days = await env.DB.prepare('SELECT COUNT(*) AS n FROM archive_index WHERE id >= (?1 << 16) AND id < ((?1 + 1) << 16)')
      .bind(ownerA)
      .first<{ n: number }>();
    expect(days!.n).toBe(3);
  });
});

describe('retention without an archive', () => {
  it('only deletes', async () => {
    await collect('arc-d', [view(D2 + 5 * 60 * MIN), view(D2 + 5 * 60 * MIN + MIN)]);
    const objects = (await archived()).size;
    const run = await runRetention({ d1: env.DB, db: createDb(env.DB), now: LATER });
    expect(run).toMatchObject({ deleted: 2, archived: 0, done: true });
    expect(await count('events', `member_id = 'arc-d'`)).toBe(0);
    expect((await archived()).size).toBe(objects);
  });
});
