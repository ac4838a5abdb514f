/**
 * The profile read's cost does not grow with a visitor's history (docs/architecture.md#the-storage-budget).
 * Every decide and collect asks which of its event ids are stored already; a visitor with a year
 * of page views must not make that question read all of them. D1 counts the rows a statement
 * reads (`meta.rows_read`, what Cloudflare bills): checked here on the real local D1, for a
 * visitor with 2,000 stored events, and for the one case that still looks past the subject — an
 * id identify has just rotated away (its events moved to the new id's subject).
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { visitorStateOf, visitorStateStatement } from '../../worker/services/profile-store';
import { visitorSubject } from '../../worker/services/tombstones';
import { count, expireRotation, loadDemo, pageView, post, signIn, vid } from './helpers';

const HISTORY = 2_000;

/** `n` page views stored for `visitorId` (ids `<visitorId>-e<i>`), as the write path stores them. */
async function storeHistory(visitorId: string, n: number) {
  await env.DB.prepare(
    `INSERT INTO visitors (id, profile, score, last_active_at, version, updated_at) VALUES (?1, NULL, 0, NULL, 'v1', ?2)`,
  )
    .bind(visitorId, Date.now())
    .run();
  const ids = Array.from({ length: n }, (_, i) => `${visitorId}-e${i}`);
  await env.DB.prepare(
    `INSERT INTO events (subject, id, visitor_id, member_id, type, at, url, props, points, breakdown, score_after, received_at)
     SELECT ?1, value, ?2, NULL, 'page_view', ?3, NULL, '{}', 0, '[]', 0, ?3 FROM json_each(?4)`,
  )
    .bind(visitorSubject(visitorId), visitorId, Date.now(), JSON.stringify(ids))
    .run();
}

async function read(visitorId: string, eventIds: string[]) {
  const result = await (await visitorStateStatement(env.DB, visitorId, eventIds, Date.now())).all();
  return { state: visitorStateOf(result.results[0], visitorId), rowsRead: result.meta.rows_read };
}

describe('the profile read with a long history', () => {
  beforeAll(loadDemo);

  it('finds which page ids are stored without reading the other events', async () => {
    const v = vid('long');
    await storeHistory(v, HISTORY);
    const { state, rowsRead } = await read(v, [`${v}-e1500`, `${v}-new`, `${v}-e3`]);
    expect([...state.seenEventIds].sort()).toEqual([`${v}-e1500`, `${v}-e3`]);
    expect(state.exists).toBe(true);
    // A few index lookups per id and the visitor, settings and tombstone rows; not the history.
    expect(rowsRead).toBeLessThan(50);
  });

  it('a page id asked twice is reported once', async () => {
    const v = vid('twice');
    await storeHistory(v, 3);
    const { state } = await read(v, [`${v}-e1`, `${v}-e1`]);
    expect([...state.seenEventIds]).toEqual([`${v}-e1`]);
  });

  it('an id identify rotated away still finds the events it stored under the new id', async () => {
    const old = vid('rotated');
    const rotated = vid('new-id');
    await storeHistory(old, 5);
    // What identify does (services/identify.ts): the old id is retired, its events move to the new id's subject.
    await env.DB.batch([
      env.DB.prepare(`UPDATE visitors SET retired_at = ?2 WHERE id = ?1`).bind(old, Date.now()),
      env.DB.prepare(`UPDATE events SET subject = ?2 WHERE subject = ?1`).bind(visitorSubject(old), visitorSubject(rotated)),
    ]);
    const { state } = await read(old, [`${old}-e2`, `${old}-other`]);
    expect([...state.seenEventIds]).toEqual([`${old}-e2`]);
  });

  it('an event sent again by a rotated id, after that id browsed anonymously, is still stored once', async () => {
    // A page of the browser before it signed in, sent again later by a retried queue message or
    // a stale tab under the old id: the old id stays marked as rotated when it is reused, so its
    // moved history is still found and the event is not counted a second time.
    const old = vid('again');
    const before = pageView('pricing');
    expect((await post('/v1/collect', { visitorId: old, events: [before] })).status).toBe(200);
    await signIn(old, `m-again-${old}`, { industry: 'SaaS' });
    await expireRotation(old);
    expect((await post('/v1/collect', { visitorId: old, events: [pageView('blog')] })).status).toBe(200);
    expect((await post('/v1/collect', { visitorId: old, events: [before] })).status).toBe(200);
    expect(await count('events', 'id = ?1', before.id)).toBe(1);
  });
});
