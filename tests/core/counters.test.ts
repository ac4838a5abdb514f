import { describe, expect, it } from 'vitest';
import { counterKey, counterKeys, countWithin, dayNumber, pruneDays } from '../../worker/core/counters';
import { emptyProfile } from '../../worker/core/profile';
import { DAY_MS, type NormalizedEvent } from '../../worker/core/types';
import type { EventType, PropMatch } from '../../worker/schema/config';
import cases from './cases/counters.json';

describe('counterKeys', () => {
  it.each(cases.keys)('$name', ({ event, keys }) => {
    const e: NormalizedEvent = { id: 'e1', type: event.type as EventType, at: 0, props: event.props };
    expect(counterKeys(e)).toEqual(keys);
  });
});

describe('counterKey (what a behaviour condition reads)', () => {
  it.each(cases.conditionKeys)('$type $where → $key', ({ type, where, key }) => {
    expect(counterKey(type as EventType, where as PropMatch)).toBe(key);
  });

  it('reads the same key an event writes', () => {
    const e: NormalizedEvent = { id: 'e1', type: 'download', at: 0, props: { kind: 'case_study', asset: 'x' } };
    expect(counterKeys(e)).toContain(counterKey('download', { kind: 'case_study' }));
  });
});

describe('pruneDays', () => {
  it.each(cases.prune)('$name', ({ days, today, retention, kept }) => {
    const input = Object.fromEntries(days.map((d) => [d, { x: 1 }]));
    const out = pruneDays(input, today, retention);
    expect(Object.keys(out).sort()).toEqual(kept);
    expect(Object.keys(input)).toHaveLength(days.length);
  });
});

describe('countWithin', () => {
  const now = Date.UTC(2026, 5, 15, 12);
  const today = dayNumber(now);
  const profile = {
    ...emptyProfile(),
    days: { [today]: { k: 1 }, [today - 6]: { k: 2 }, [today - 7]: { k: 4 }, [today - 29]: { k: 8 } },
    totals: { k: 100 },
  };
  it.each([
    { within: 1, expected: 1 },
    { within: 7, expected: 3 },
    { within: 8, expected: 7 },
    { within: 30, expected: 15 },
    { within: null, expected: 100 },
  ])('within $within days → $expected', ({ within, expected }) => {
    expect(countWithin(profile, 'k', within, now)).toBe(expected);
    expect(countWithin(profile, 'other', within, now)).toBe(0);
  });

  it('uses UTC days: one minute before midnight and one after are different days', () => {
    expect(dayNumber(Date.UTC(2026, 5, 15) - 60_000) + 1).toBe(dayNumber(Date.UTC(2026, 5, 15) + 60_000));
    expect(dayNumber(DAY_MS * 3.5)).toBe(3);
  });
});
