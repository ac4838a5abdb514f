/**
 * Erasure is final: a request that read the member's (or its browser's) profile before the
 * erasure committed cannot write it back afterwards. The in-flight request is held between its
 * read and its write by a D1 binding that pauses the first batch, so the interleaving is exact.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createDb } from '../../worker/db/client';
import { identifyVisitor } from '../../worker/services/identify';
import { upsertTraits } from '../../worker/services/members';
import { updateProfile, type Subject } from '../../worker/services/pipeline';
import { SERVER, call, count, eid, loadDemo, post, signIn, vid } from './helpers';

beforeAll(loadDemo);

/** A D1 binding whose first `batch()` waits until `release()`; `reachedWrite` tells when it is waiting. */
function pausedD1() {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const state = { reachedWrite: false, release };
  const d1 = new Proxy(env.DB, {
    get(target, prop) {
      if (prop === 'batch')
        return async (statements: D1PreparedStatement[]) => {
          if (!state.reachedWrite) {
            state.reachedWrite = true;
            await gate;
          }
          return target.batch(statements);
        };
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { d1, state };
}

async function rowsLeft(memberId: string, visitorIds: string[]) {
  const marks = visitorIds.map(() => '?').join(',');
  return {
    members: await count('members', 'id = ?', memberId),
    visitors: await count('visitors', `member_id = ? OR id IN (${marks})`, memberId, ...visitorIds),
    events: await count('events', `member_id = ? OR visitor_id IN (${marks})`, memberId, ...visitorIds),
    exposures: await count('exposures', `member_id = ? OR visitor_id IN (${marks})`, memberId, ...visitorIds),
  };
}

const NONE = { members: 0, visitors: 0, events: 0, exposures: 0 };

async function memberWithHistory(label: string) {
  const first = vid(label);
  const memberId = `m-${first}`;
  await post('/v1/collect', { visitorId: first, events: [{ id: eid(), type: 'download', props: { asset: 'cs', kind: 'case_study' } }] });
  const browser = await signIn(first, memberId, { industry: 'SaaS', employees: 120 });
  await post('/v1/decide', { visitorId: browser, slots: ['hero'], events: [{ id: eid(), type: 'page_view', props: {} }] });
  return { memberId, browsers: [first, browser] };
}

const erase = async (memberId: string) =>
  expect((await call('DELETE', `/v1/server/members/${memberId}`, undefined, SERVER)).status).toBe(204);

describe('erasure with requests in flight', () => {
  it.each<[string, (m: { memberId: string; browsers: string[] }) => Subject]>([
    ['a decide/collect of the member’s browser', (m) => ({ kind: 'visitor', visitorId: m.browsers[1]! })],
    ['a collect under the id used before sign-in', (m) => ({ kind: 'visitor', visitorId: m.browsers[0]! })],
    ['a server collect for the member', (m) => ({ kind: 'member', memberId: m.memberId })],
  ])('%s that read before the erasure writes nothing after it', async (_label, subjectOf) => {
    const m = await memberWithHistory('final');
    const { d1, state } = pausedD1();
    const now = Date.now();
    const inflight = updateProfile({ d1, db: createDb(d1), now }, subjectOf(m), [{ id: eid(), type: 'login', at: now, props: {} }], {
      write: true,
    }).then(
      () => 'written',
      (err: Error) => err.constructor.name,
    );
    await vi.waitFor(() => expect(state.reachedWrite).toBe(true));
    await erase(m.memberId);
    state.release();
    expect(await inflight).toBe('ErasedError');
    expect(await rowsLeft(m.memberId, m.browsers)).toEqual(NONE);
  });

  it('an identify that read before the erasure links nothing after it', async () => {
    const m = await memberWithHistory('final-id');
    const { d1, state } = pausedD1();
    const browser = vid('final-id-new');
    const inflight = identifyVisitor(
      { d1, db: createDb(d1), now: Date.now() },
      { visitorId: browser, memberId: m.memberId, traits: { industry: 'IT' } },
    ).then(
      () => 'linked',
      () => 'refused',
    );
    await vi.waitFor(() => expect(state.reachedWrite).toBe(true));
    await erase(m.memberId);
    state.release();
    expect(await inflight).toBe('refused');
    expect(await rowsLeft(m.memberId, [...m.browsers, browser])).toEqual(NONE);
  });

  it('a CRM trait sync that arrives while the erasure runs does not re-create the member', async () => {
    const m = await memberWithHistory('final-traits');
    const started = Date.now();
    await erase(m.memberId);
    expect(await upsertTraits({ d1: env.DB, now: started }, m.memberId, { industry: 'IT' })).toBeNull();
    expect(await rowsLeft(m.memberId, m.browsers)).toEqual(NONE);
    const res = await call('PUT', `/v1/server/members/${m.memberId}`, { traits: { industry: 'IT' } }, SERVER);
    expect(res.status).toBe(409);
    expect((await res.json<{ error: { code: string } }>()).error.code).toBe('recently_erased');
  });

  it('through HTTP: decides, collects and server events racing the erasure leave nothing', async () => {
    for (let round = 0; round < 3; round++) {
      const m = await memberWithHistory(`race-erase-${round}`);
      const browser = m.browsers[1]!;
      const traffic = Array.from({ length: 6 }, (_, i) =>
        i % 3 === 0
          ? post('/v1/decide', { visitorId: browser, slots: ['hero'], events: [{ id: eid(), type: 'page_view', props: {} }] })
          : i % 3 === 1
            ? post('/v1/collect', { visitorId: browser, events: [{ id: eid(), type: 'login' }] })
            : post('/v1/server/collect', { memberId: m.memberId, events: [{ id: eid(), type: 'login' }] }, SERVER),
      );
      const [erased, ...rest] = await Promise.all([call('DELETE', `/v1/server/members/${m.memberId}`, undefined, SERVER), ...traffic]);
      expect(erased!.status).toBe(204);
      for (const r of rest) expect(r.status).toBeLessThan(500);
      expect(await rowsLeft(m.memberId, m.browsers)).toEqual(NONE);
    }
  });

  it('the tombstones keep no id in the clear', async () => {
    const m = await memberWithHistory('final-hash');
    await erase(m.memberId);
    const rows = await env.DB.prepare('SELECT subject FROM tombstones').all<{ subject: string }>();
    expect(rows.results.length).toBeGreaterThan(0);
    for (const { subject } of rows.results) {
      expect(subject).toMatch(/^[0-9a-f]{64}$/);
      for (const id of [m.memberId, ...m.browsers]) expect(subject).not.toContain(id);
    }
  });
});
