/**
 * Decides' reads made together (worker/services/read-together.ts): the reads of one turn share
 * one D1 call from the request that opened the turn, each gets the state its own statement would
 * read, a read alone is the single statement as before, and a shared call that fails or never
 * answers leaves each read to be made on its own. Through the worker: decides sent at once share
 * their read and answer as they do one by one.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { wrapD1 } from '../../worker/lib/d1-wrap';
import { type ProfileState, readVisitorState } from '../../worker/services/profile-store';
import { READ_ALONE_AFTER_MS, readTogether } from '../../worker/services/read-together';
import { loadDemo, pageView, post, vid } from './helpers';
import { decideNoDrain } from './storage-probes';

beforeAll(loadDemo);

/** The state as plain data, to compare two reads. */
const plain = (s: ProfileState) => ({ ...s, seenEventIds: [...s.seenEventIds].sort() });

/** The local D1, counting its calls; `batch` answers as `batchAnswer` says (the real batch unless told). */
function countedD1(batchAnswer?: () => Promise<never>) {
  const calls = { statements: 0, batches: 0 };
  const d1 = wrapD1(env.DB, {
    statement(real) {
      calls.statements++;
      return real();
    },
    batch(real) {
      calls.batches++;
      return batchAnswer ? batchAnswer() : real();
    },
  });
  return { calls, d1 };
}

/** A visitor with two stored pages; returns its id and one stored event id. */
async function visitorWithHistory(...categories: string[]): Promise<{ visitorId: string; stored: string }> {
  const visitorId = vid('rt');
  const events = categories.map((c) => pageView(c));
  expect((await post('/v1/collect', { visitorId, events })).status).toBe(200);
  return { visitorId, stored: events[0]!.id };
}

describe('readTogether', () => {
  it('the reads of one turn share one D1 call, each as its own statement reads it', async () => {
    const a = await visitorWithHistory('pricing', 'pricing');
    const b = await visitorWithHistory('blog');
    const unknown = vid('rt-none');
    const now = Date.now();
    const { calls, d1 } = countedD1();
    const pool = {};
    const read = (visitorId: string, ids: string[]) => readTogether(pool, { d1: countedD1().d1, now }, undefined)(visitorId, ids);
    // The opener reads for everyone, through its own handle.
    const opener = readTogether(pool, { d1, now })(a.visitorId, [a.stored, 'not-stored']);
    const states = await Promise.all([opener, read(b.visitorId, [b.stored]), read(unknown, [])]);
    expect(calls).toEqual({ statements: 0, batches: 1 });
    const alone = await Promise.all([
      readVisitorState({ d1: env.DB, now }, a.visitorId, [a.stored, 'not-stored']),
      readVisitorState({ d1: env.DB, now }, b.visitorId, [b.stored]),
      readVisitorState({ d1: env.DB, now }, unknown, []),
    ]);
    expect(states.map(plain)).toEqual(alone.map(plain));
    expect(states[0]!.seenEventIds).toEqual(new Set([a.stored]));
    expect(states[2]!.exists).toBe(false);
  });

  it('a read alone in its turn is the single statement', async () => {
    const a = await visitorWithHistory('blog');
    const { calls, d1 } = countedD1();
    const state = await readTogether({}, { d1, now: Date.now() })(a.visitorId, [a.stored]);
    expect(calls).toEqual({ statements: 1, batches: 0 });
    expect(state.seenEventIds.has(a.stored)).toBe(true);
  });

  it('a shared call that fails: each read is made on its own', async () => {
    const a = await visitorWithHistory('pricing');
    const b = await visitorWithHistory('blog');
    const now = Date.now();
    const pool = {};
    const opener = countedD1(() => Promise.reject(new Error('D1_ERROR: injected failure')));
    const joiner = countedD1();
    const states = await Promise.all([
      readTogether(pool, { d1: opener.d1, now })(a.visitorId, [a.stored]),
      readTogether(pool, { d1: joiner.d1, now })(b.visitorId, [b.stored]),
    ]);
    expect(opener.calls).toEqual({ statements: 1, batches: 1 });
    expect(joiner.calls).toEqual({ statements: 1, batches: 0 });
    expect(states[0]!.seenEventIds.has(a.stored)).toBe(true);
    expect(states[1]!.seenEventIds.has(b.stored)).toBe(true);
  });

  it('a shared call that never answers (its request was cancelled): the others read alone after READ_ALONE_AFTER_MS', async () => {
    const b = await visitorWithHistory('blog');
    const now = Date.now();
    const pool = {};
    const opener = countedD1(() => new Promise<never>(() => {}));
    const joiner = countedD1();
    void readTogether(pool, { d1: opener.d1, now })(vid('rt-hung'), []);
    const started = Date.now();
    const state = await readTogether(pool, { d1: joiner.d1, now })(b.visitorId, [b.stored]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(READ_ALONE_AFTER_MS);
    expect(joiner.calls).toEqual({ statements: 1, batches: 0 });
    expect(state.seenEventIds.has(b.stored)).toBe(true);
  });

  it('a request refused by its rate limit joins no read and gets its refusal', async () => {
    const a = await visitorWithHistory('blog');
    const now = Date.now();
    const pool = {};
    const refusal = new Error('rate_limited');
    const refused = countedD1();
    const other = countedD1();
    const [r1, r2] = await Promise.allSettled([
      readTogether(pool, { d1: refused.d1, now }, Promise.reject(refusal))(vid('rt-refused'), []),
      readTogether(pool, { d1: other.d1, now })(a.visitorId, [a.stored]),
    ]);
    expect(r1).toEqual({ status: 'rejected', reason: refusal });
    expect(r2.status).toBe('fulfilled');
    // The other read was alone in its turn: the single statement, nothing read for the refused one.
    expect(other.calls).toEqual({ statements: 1, batches: 0 });
    expect(refused.calls).toEqual({ statements: 0, batches: 0 });
  });
});

describe('decides sent at once', () => {
  it('share their reads and answer as they do one by one', async () => {
    const visitors = await Promise.all([
      visitorWithHistory('pricing', 'pricing', 'pricing'),
      visitorWithHistory('blog'),
      visitorWithHistory('pricing'),
      visitorWithHistory('case-study', 'case-study'),
      visitorWithHistory('blog', 'pricing'),
      visitorWithHistory('seminar'),
    ]);
    // No events: nothing is written, so the second round reads what the first did.
    const together = await Promise.all(visitors.map((v) => decideNoDrain({ visitorId: v.visitorId })));
    const oneByOne = [];
    for (const v of visitors) oneByOne.push(await decideNoDrain({ visitorId: v.visitorId }));
    const answer = (d: (typeof together)[number]) => ({ segment: d.body.segment, slots: d.body.slots, source: d.source });
    expect(together.map(answer)).toEqual(oneByOne.map(answer));
    expect(together.every((d) => d.source === 'read')).toBe(true);
    // One by one: a statement each. Together: fewer D1 calls than decides, none with more than one.
    expect(oneByOne.map((d) => d.usage)).toEqual(visitors.map(() => ({ reads: 1, batches: 0 })));
    const calls = together.map((d) => d.usage.reads + d.usage.batches);
    expect(calls.every((n) => n <= 1)).toBe(true);
    expect(calls.reduce((a, b) => a + b, 0)).toBeLessThan(visitors.length);
  });
});
