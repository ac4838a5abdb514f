/**
 * The writes queue's consumer reads all visitors of a batch with one statement per 50 visitors
 * (`visitorStatesStatement`), where a decide reads one (`visitorStateStatement`). Both must say
 * the same about every visitor: checked here for each kind of visitor the consumer meets, read
 * one by one and all at once on the real local D1 — and the batch read's cost stays per visitor.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type ProfileState,
  type VisitorRead,
  visitorStateOf,
  visitorStateStatement,
  visitorStatesStatement,
} from '../../worker/services/profile-store';
import { readStates, VISITORS_PER_READ } from '../../worker/services/writes/shared-batch';
import { call, expireRotation, loadDemo, pageView, post, SERVER, signIn, vid } from './helpers';

/** A state as plain data (the seen ids as a sorted list), to compare two reads. */
const plain = (s: ProfileState | null) => s && { ...s, seenEventIds: [...s.seenEventIds].sort() };

async function one(r: VisitorRead): Promise<ProfileState> {
  const row = await (await visitorStateStatement(env.DB, r.visitorId, r.eventIds, r.now)).first();
  return visitorStateOf(row, r.visitorId);
}

async function many(reads: VisitorRead[]) {
  const result = await (await visitorStatesStatement(env.DB, reads)).all();
  return { states: result.results.map((row, i) => visitorStateOf(row, reads[i]!.visitorId)), rowsRead: result.meta.rows_read };
}

/** Collects `events` for `visitorId` and returns their ids. */
async function stored(visitorId: string, ...categories: string[]): Promise<string[]> {
  const events = categories.map((c) => pageView(c));
  expect((await post('/v1/collect', { visitorId, events })).status).toBe(200);
  return events.map((e) => e.id);
}

describe('reading many visitors in one statement', () => {
  let reads: VisitorRead[];
  beforeAll(async () => {
    await loadDemo();
    const now = Date.now();
    // Never seen: no row, nothing stored.
    const unknown = vid('unknown');
    // Anonymous with history: two of the asked ids are stored, one is new.
    const anonymous = vid('anon');
    const [a1, a2] = await stored(anonymous, 'blog', 'pricing');
    // Signed in: the rotated id leads to the member (its traits and profile).
    const before = vid('before');
    const [b1] = await stored(before, 'pricing');
    const member = await signIn(before, `m-many-${before}`, { industry: 'SaaS', employees: 120 });
    const [m1] = await stored(member, 'blog');
    // The id identify retired: within the grace it still reaches the member; its moved page is seen.
    const retired = before;
    // A retired id past the grace: an anonymous browser again, its moved history still found.
    const old = vid('old');
    const [o1] = await stored(old, 'blog');
    await signIn(old, `m-many-${old}`, { industry: 'IT' });
    await expireRotation(old);
    // Erased: the member's browser, after the server API erased the member.
    const gone = vid('gone');
    await stored(gone, 'blog');
    const goneMember = await signIn(gone, `m-gone-${gone}`, { industry: 'SaaS' });
    expect((await call('DELETE', `/v1/server/members/m-gone-${gone}`, undefined, SERVER)).status).toBe(204);
    reads = [
      { visitorId: unknown, eventIds: ['x-1'], now },
      { visitorId: anonymous, eventIds: [a1!, 'x-2', a2!, a1!], now },
      { visitorId: member, eventIds: [m1!, 'x-3'], now },
      { visitorId: retired, eventIds: [b1!, 'x-4'], now },
      { visitorId: old, eventIds: [o1!, 'x-5'], now },
      { visitorId: goneMember, eventIds: [], now },
      // A read at another time: past the rotation grace for the retired id (an anonymous browser then).
      { visitorId: retired, eventIds: [b1!], now: now + 3_600_000 },
    ];
  });

  it('says of each visitor what its own read says, in order', async () => {
    const singles = await Promise.all(reads.map(one));
    const { states } = await many(reads);
    expect(states.map(plain)).toEqual(singles.map(plain));
    // The cases are what they claim to be (else the comparison would prove little).
    const [unknown, anonymous, member, retired, old, gone, later] = states;
    expect(unknown).toMatchObject({ exists: false, target: 'visitors', erased: false });
    expect(plain(anonymous!)).toMatchObject({
      exists: true,
      target: 'visitors',
      seenEventIds: [reads[1]!.eventIds[0], reads[1]!.eventIds[2]].sort(),
    });
    expect(member).toMatchObject({ target: 'members', exists: true, traits: { industry: 'SaaS', employees: 120 } });
    expect(retired).toMatchObject({ target: 'members' });
    expect([...retired!.seenEventIds]).toEqual([reads[3]!.eventIds[0]]);
    expect(old).toMatchObject({ target: 'visitors' });
    expect([...old!.seenEventIds]).toEqual([reads[4]!.eventIds[0]]);
    expect(gone!.erased).toBe(true);
    expect(later).toMatchObject({ target: 'visitors' });
  });

  it('reads a few rows per visitor, not more for many', async () => {
    const { rowsRead: alone } = await many([reads[1]!]);
    const { rowsRead: all } = await many(reads);
    expect(alone).toBeLessThan(50);
    expect(all).toBeLessThan(50 * reads.length);
  });

  it('the consumer’s read: as many states as visitors past one statement’s share, in order', async () => {
    const lots = Array.from({ length: VISITORS_PER_READ * 2 + 3 }, (_, i) => reads[i % reads.length]!);
    const states = await readStates({ d1: env.DB }, lots);
    const singles = await Promise.all(lots.map(one));
    expect(states.map(plain)).toEqual(singles.map(plain));
  });
});
