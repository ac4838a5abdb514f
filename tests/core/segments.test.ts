import { describe, expect, it } from 'vitest';
import { DEFAULT_SCORING_SETTINGS } from '../../worker/core/defaults';
import { emptyProfile } from '../../worker/core/profile';
import {
  compileCondition,
  compileSegments,
  explainSegments,
  resolveSegment,
  retentionDaysFor,
  type ConditionExplanation,
  type MatchContext,
} from '../../worker/core/segments';
import { Condition, Segment, type Traits } from '../../worker/schema/config';
import conditionCases from './cases/conditions.json';
import demoSeed from '../../db/seed/demo.json';
const demoSegmentsJson = demoSeed.segments;
import demoVisitors from './cases/demo-visitors.json';
import { ms, runBatches, type CaseBatch } from './helpers';

const demoSegments = demoSegmentsJson.map((s) => Segment.parse(s));
const compiled = compileSegments(demoSegments);

function context(traits: Traits, history: CaseBatch[], now: string): MatchContext {
  const profile = history.length ? runBatches(history).profile : emptyProfile();
  return { traits, profile, now: ms(now), settings: DEFAULT_SCORING_SETTINGS };
}

describe('demo segments (docs/api.md#demo-configuration)', () => {
  it('are valid Segment data, unchanged by parsing, in priority order 10..50', () => {
    expect(demoSegments).toEqual(demoSegmentsJson);
    expect(demoSegments.map((s) => [s.key, s.priority])).toEqual([
      ['hot_lead', 10],
      ['consideration', 20],
      ['dormant', 30],
      ['info_gathering', 40],
      ['non_target', 50],
    ]);
  });

  type Visitor = {
    name: string;
    traits: Traits;
    history: CaseBatch[];
    now: string;
    segment: string | null;
    matched: string[];
    explain?: Record<string, [boolean, unknown][]>;
  };

  it.each(demoVisitors as Visitor[])('$name', (v) => {
    const ctx = context(v.traits, v.history, v.now);
    expect(resolveSegment(compiled, ctx)?.key ?? null).toBe(v.segment);
    const explained = explainSegments(compiled, ctx);
    expect(explained.map((e) => e.key)).toEqual(demoSegments.map((s) => s.key));
    expect(explained.filter((e) => e.matched).map((e) => e.key)).toEqual(v.matched);
    // The decision and the explanation never disagree: the first explained match is the segment.
    expect(explained.find((e) => e.matched)?.key ?? null).toBe(v.segment);
    for (const [key, rows] of Object.entries(v.explain ?? {})) {
      const seg = explained.find((e) => e.key === key)!;
      expect(
        seg.conditions.map((c) => [c.matched, c.actual]),
        key,
      ).toEqual(rows);
    }
  });
});

describe('compileSegments', () => {
  const seg = (key: string, priority: number, enabled = true): Segment =>
    Segment.parse({ id: key, key, name: key, priority, enabled, rule: { match: 'all', conditions: [] } });

  it('orders by priority ascending, then key, and drops disabled segments', () => {
    const order = compileSegments([seg('c', 5), seg('b', 1), seg('a', 5), seg('z', 0, false)]);
    expect(order.map((c) => c.segment.key)).toEqual(['b', 'a', 'c']);
  });

  it('first match wins, so a catch-all with a lower priority shadows the rest', () => {
    const ctx = context({}, [], '2026-06-15T10:00:00Z');
    expect(resolveSegment(compileSegments([seg('later', 2), seg('first', 1)]), ctx)?.key).toBe('first');
    expect(resolveSegment(compileSegments([seg('off', 1, false)]), ctx)).toBeNull();
    expect(resolveSegment(compileSegments([]), ctx)).toBeNull();
  });

  it('reads the rule once: editing the source segment afterwards changes nothing', () => {
    const s = seg('x', 1);
    const c = compileSegments([s]);
    s.rule.conditions.push({ type: 'score', op: 'gte', value: 1000 });
    expect(resolveSegment(c, context({}, [], '2026-06-15T10:00:00Z'))?.key).toBe('x');
  });
});

describe('trait conditions', () => {
  const now = ms('2026-06-15T10:00:00Z');
  it.each(conditionCases.traits)('$name', ({ traits, condition, expected }) => {
    const c = compileCondition(Condition.parse(condition));
    const ctx = { traits: traits as unknown as Traits, profile: emptyProfile(), now, settings: DEFAULT_SCORING_SETTINGS };
    expect(c.test(ctx)).toBe(expected);
    expect(c.explain(ctx).matched).toBe(expected);
  });
});

describe('score, tier, inactivity, behaviour and group conditions', () => {
  const { history, now, cases } = conditionCases.profileConditions;
  const ctx = context({}, history as CaseBatch[], now);
  it.each(cases)('$name', ({ condition, expected, actual }) => {
    const c = compileCondition(Condition.parse(condition));
    expect(c.test(ctx)).toBe(expected);
    const e = c.explain(ctx);
    expect([e.matched, e.actual]).toEqual([expected, actual]);
  });

  it('explains nested groups child by child', () => {
    const group = cases.at(-1)!.condition as Condition;
    const e = compileCondition(group).explain(ctx);
    const shape = (x: ConditionExplanation): unknown => (x.children ? [x.matched, x.children.map(shape)] : [x.matched, x.actual]);
    expect(shape(e)).toEqual([
      false,
      [
        [
          false,
          [
            [true, 'warm'],
            [false, 2],
          ],
        ],
        [false, 70],
      ],
    ]);
  });

  it('rejects a behaviour condition on two props at once (the profile counts one)', () => {
    const r = Condition.safeParse({ type: 'behavior', event: 'download', where: { kind: 'a', asset: 'b' } });
    expect(r.success).toBe(false);
  });
});

describe('retentionDaysFor', () => {
  const withWindow = (days: number | null, nested = false, enabled = true): Segment => {
    const b = { type: 'behavior', event: 'page_view', where: {}, withinDays: days, op: 'gte', count: 1 } as const;
    return Segment.parse({
      id: 's',
      key: 's',
      name: 's',
      priority: 1,
      enabled,
      rule: { match: 'all', conditions: nested ? [{ type: 'group', match: 'any', conditions: [b] }] : [b] },
    });
  };
  it.each([
    { name: 'no segments keep the 90-day minimum', segments: [], days: 90 },
    { name: 'the demo segments (longest window 30) keep 90', segments: demoSegments, days: 90 },
    { name: 'a 180-day window', segments: [withWindow(180)], days: 180 },
    { name: 'a window nested in a group', segments: [withWindow(365, true)], days: 365 },
    { name: 'a disabled segment still counts', segments: [withWindow(200, false, false)], days: 200 },
    { name: 'all-time conditions read totals, not days', segments: [withWindow(null)], days: 90 },
  ])('$name', ({ segments, days }) => {
    expect(retentionDaysFor(segments)).toBe(days);
  });
});
