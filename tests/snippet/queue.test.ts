/**
 * @module
 * The undelivered-event queue: capped, merged, read back defensively, and batched within the
 * server's limits (50 events, 64 KB).
 */
import { describe, expect, it } from 'vitest';
import { capped, MAX_AGE_MS, MAX_BATCH, MAX_QUEUE, parseQueue, pick, without, type Ev } from '../../snippet/src/queue';

const NOW = Date.parse('2026-11-20T10:00:00Z');
const ev = (n: number, extra: Partial<Ev> = {}): Ev => ({
  id: `event-${String(n).padStart(6, '0')}`,
  type: 'page_view',
  at: new Date(NOW - 1000).toISOString(),
  props: {},
  ...extra,
});
const many = (n: number) => Array.from({ length: n }, (_, i) => ev(i));

describe('capped', () => {
  it('appends in order', () => {
    expect(capped([ev(1)], ev(2)).map((e) => e.id)).toEqual([ev(1).id, ev(2).id]);
  });
  it(`keeps the newest ${MAX_QUEUE}`, () => {
    const q = capped(many(MAX_QUEUE), ev(999));
    expect(q).toHaveLength(MAX_QUEUE);
    expect(q[0]!.id).toBe(ev(1).id);
    expect(q.at(-1)!.id).toBe(ev(999).id);
  });
});

describe('parseQueue', () => {
  it.each([
    ['nothing stored', null],
    ['undefined (storage unavailable)', undefined],
    ['not JSON', '{oops'],
    ['not an array', '{"id":"x"}'],
    ['a number', '42'],
  ])('%s → empty', (_, raw) => expect(parseQueue(raw as string | null, NOW)).toEqual([]));

  it('round-trips a stored queue', () => {
    const q = many(3);
    expect(parseQueue(JSON.stringify(q), NOW)).toEqual(q);
  });

  it('drops events the server would refuse as too old, or with no readable time', () => {
    const old = ev(1, { at: new Date(NOW - MAX_AGE_MS - 1).toISOString() });
    const noAt = { ...ev(2), at: undefined } as unknown as Ev;
    const bad = ev(3, { at: 'yesterday' });
    expect(parseQueue(JSON.stringify([old, noAt, bad, ev(4)]), NOW)).toEqual([ev(4)]);
  });

  it('a null entry makes the whole stored queue unreadable, not the page', () => {
    expect(parseQueue('[null]', NOW)).toEqual([]);
  });

  it(`caps what it reads at ${MAX_QUEUE}`, () => {
    expect(parseQueue(JSON.stringify(many(250)), NOW)).toHaveLength(MAX_QUEUE);
  });
});

describe('pick', () => {
  it(`takes the oldest ${MAX_BATCH} by default`, () => {
    const q = many(120);
    const batch = pick(q);
    expect(batch).toHaveLength(MAX_BATCH);
    expect(batch[0]).toBe(q[0]);
  });

  it('honours a smaller limit (the decide keeps one place for its page_view)', () => {
    expect(pick(many(60), 49)).toHaveLength(49);
  });

  it('stays under the byte budget', () => {
    const big = Array.from({ length: 50 }, (_, i) => ev(i, { props: { blob: 'x'.repeat(1900) } }));
    const batch = pick(big);
    expect(batch.length).toBeGreaterThan(10);
    expect(batch.length).toBeLessThan(50);
    expect(JSON.stringify(batch).length).toBeLessThan(48_000);
  });
});

describe('without', () => {
  it('removes exactly the sent events', () => {
    const q = many(5);
    expect(without(q, [q[1]!, q[3]!])).toEqual([q[0], q[2], q[4]]);
  });
  it('keeps events added while the request was in flight', () => {
    const q = many(2);
    const later = capped(q, ev(7));
    expect(without(later, q)).toEqual([ev(7)]);
  });
});
