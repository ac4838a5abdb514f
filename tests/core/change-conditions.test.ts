/**
 * Conditions that see change: trends (this period against the one before) and exclusions
 * ("none of"), driven by the tables in cases/trends.json and cases/exclusions.json; the
 * explanation the console shows ("why") and the retention and counters they need.
 */
import { describe, expect, it } from 'vitest';
import { countedKeysFor } from '../../worker/core/compile';
import { DEFAULT_SCORING_SETTINGS } from '../../worker/core/defaults';
import { describeActual } from '../../worker/core/describe';
import { emptyProfile } from '../../worker/core/profile';
import {
  compileCondition,
  compileSegments,
  explainSegments,
  resolveSegment,
  retentionDaysFor,
  segmentCounterKeys,
} from '../../worker/core/segments';
import { Condition, Segment, type Traits } from '../../worker/schema/config';
import exclusions from './cases/exclusions.json';
import trends from './cases/trends.json';
import { ms, runBatches, type CaseBatch } from './helpers';

const now = ms(trends.now);

describe('trend conditions', () => {
  it.each(trends.cases)('$name', ({ history, condition, expected, actual, counts }) => {
    const ctx = { traits: {}, profile: runBatches(history as CaseBatch[]).profile, now, settings: DEFAULT_SCORING_SETTINGS };
    const c = compileCondition(Condition.parse(condition));
    expect(c.test(ctx)).toBe(expected);
    const e = c.explain(ctx);
    expect([e.matched, e.actual, e.counts]).toEqual([expected, actual, counts]);
  });

  it.each(trends.invalid)('refuses $name', ({ condition }) => {
    expect(Condition.safeParse(condition).success).toBe(false);
  });

  it('says a likelihood as a percentage, and a missing model as —', () => {
    const c = Condition.parse({ type: 'propensity', model: 'inquiry', op: 'gte', value: 0.3 });
    expect(describeActual({ condition: c, matched: false, actual: 0.0117 }, 'en')).toBe('1.2%');
    expect(describeActual({ condition: c, matched: false, actual: null }, 'ja')).toBe('—');
  });

  it('fills in minPrevious 1 and no prop filter', () => {
    expect(Condition.parse({ type: 'trend', event: 'login', days: 30, op: 'lte', ratio: 0.5 })).toEqual({
      type: 'trend',
      event: 'login',
      where: {},
      days: 30,
      op: 'lte',
      ratio: 0.5,
      minPrevious: 1,
    });
  });

  it('says both periods and their ratio in the "why" text', () => {
    const c = Condition.parse({ type: 'trend', event: 'login', days: 30, op: 'lte', ratio: 0.5 });
    const seen = (current: number, previous: number) => {
      const batches: CaseBatch[] = [
        { events: [{ type: 'login', at: '2026-05-10T09:00:00Z', repeat: previous, everySeconds: 3600 }] },
        { events: [{ type: 'login', at: '2026-06-10T09:00:00Z', repeat: current, everySeconds: 3600 }] },
      ];
      const profile = runBatches(batches.filter((b) => (b.events[0]!.repeat ?? 0) > 0)).profile;
      return compileCondition(c).explain({ traits: {}, profile, now, settings: DEFAULT_SCORING_SETTINGS });
    };
    expect(describeActual(seen(3, 10), 'en')).toBe('3 in the last 30 days, 10 in the 30 before (30%)');
    expect(describeActual(seen(3, 10), 'ja')).toBe('直近30日 3回・その前の30日 10回（30%）');
    expect(describeActual(seen(2, 0), 'en')).toBe('2 in the last 30 days, 0 in the 30 before (fewer than 1 before)');
    expect(describeActual(seen(2, 0), 'ja')).toBe('直近30日 2回・その前の30日 0回（前の期間が1回未満）');
  });

  const churn = (days: number, enabled = true): Segment =>
    Segment.parse({
      id: 'churn',
      key: 'churn',
      name: '離反予兆',
      priority: 1,
      enabled,
      rule: {
        match: 'all',
        conditions: [{ type: 'group', match: 'any', conditions: [{ type: 'trend', event: 'login', days, op: 'lte', ratio: 0.5 }] }],
      },
    });

  it('keeps both periods of history: a 60-day trend keeps 120 days', () => {
    expect(retentionDaysFor([churn(30)])).toBe(90);
    expect(retentionDaysFor([churn(60)])).toBe(120);
    expect(retentionDaysFor([churn(180, false)])).toBe(360);
  });

  it('counts what a trend reads, per value too', () => {
    const s = Segment.parse({
      ...churn(30),
      rule: {
        match: 'all',
        conditions: [{ type: 'trend', event: 'page_view', where: { category: 'pricing' }, days: 14, op: 'gte', ratio: 2 }],
      },
    });
    expect(segmentCounterKeys([s])).toEqual(new Set(['page_view.category=pricing']));
    expect(countedKeysFor({ scoring: { rules: [], settings: DEFAULT_SCORING_SETTINGS }, categories: [], segments: [s] })).toEqual(
      new Set(['page_view.category=pricing']),
    );
  });
});

describe('exclusions ("none of")', () => {
  const traits = exclusions.traits as Traits;
  const ctx = { traits, profile: emptyProfile(), now, settings: DEFAULT_SCORING_SETTINGS };

  it.each(exclusions.cases)('$name', ({ condition, expected }) => {
    const c = compileCondition(Condition.parse(condition));
    expect(c.test(ctx)).toBe(expected);
    expect(c.explain(ctx).matched).toBe(expected);
  });

  it('explains which excluded condition held', () => {
    const e = compileCondition(Condition.parse(exclusions.cases[2]!.condition)).explain(ctx);
    expect([e.matched, e.children!.map((x) => [x.matched, x.actual])]).toEqual([
      false,
      [
        [false, 'SaaS'],
        [true, 120],
      ],
    ]);
  });

  it('works as a whole segment rule, and the decision agrees with the explanation', () => {
    const segment = (key: string, priority: number, rule: unknown) => Segment.parse({ id: key, key, name: key, priority, rule });
    const compiled = compileSegments([
      segment('not_customers', 1, { match: 'none', conditions: [{ type: 'trait', trait: 'phase', op: 'eq', value: 'customer' }] }),
      segment('everyone', 2, { match: 'none', conditions: [] }),
    ]);
    expect(resolveSegment(compiled, ctx)?.key).toBe('everyone');
    expect(explainSegments(compiled, ctx).map((s) => [s.key, s.matched])).toEqual([
      ['not_customers', false],
      ['everyone', true],
    ]);
    expect(resolveSegment(compiled, { ...ctx, traits: { phase: 'evaluating' } })?.key).toBe('not_customers');
  });
});
