/**
 * Fit points (scoring rules that test a trait), from cases/fit.json: the sum, its reasons, and
 * segments that test it. Tiers stay on the behaviour score, so fit never moves a tier.
 */
import { describe, expect, it } from 'vitest';
import { compileConfig } from '../../worker/core/compile';
import { DEFAULT_SCORING_SETTINGS } from '../../worker/core/defaults';
import { compileFit } from '../../worker/core/fit';
import { emptyProfile } from '../../worker/core/profile';
import { tierOf } from '../../worker/core/scoring';
import { compileCondition, compileSegments, resolveSegment } from '../../worker/core/segments';
import { Condition, FitRule, Segment, type Traits } from '../../worker/schema/config';
import cases from './cases/fit.json';

const rules = cases.rules.map((r) => FitRule.parse(r));
const fit = compileFit(rules);
const now = Date.UTC(2026, 5, 1);

describe('fit points', () => {
  it('are valid FitRule data, unchanged by parsing', () => {
    expect(rules).toEqual(cases.rules);
  });

  it.each(cases.cases)('$name', ({ traits: raw, fit: expected, reasons }) => {
    const traits = raw as unknown as Traits;
    expect(fit.score(traits)).toBe(expected);
    expect(fit.reasons(traits).map((r) => r.ruleId)).toEqual(reasons);
    expect(fit.reasons(traits).reduce((s, r) => s + r.points, 0)).toBe(expected);
  });

  it.each([
    { name: 'points must be whole', rule: { id: 'a', trait: 'level', op: 'eq', value: 'x', points: 1.5 } },
    { name: 'an attribute is needed', rule: { id: 'a', trait: '', op: 'eq', value: 'x', points: 1 } },
    { name: 'the id is a slug', rule: { id: 'A B', trait: 'level', op: 'eq', value: 'x', points: 1 } },
    { name: 'a known operator', rule: { id: 'a', trait: 'level', op: 'like', value: 'x', points: 1 } },
  ])('refuses a rule where $name', ({ rule }) => {
    expect(FitRule.safeParse(rule).success).toBe(false);
  });

  it.each(cases.conditions)('$name', ({ traits, condition, expected, actual }) => {
    const c = compileCondition(Condition.parse(condition), { fit });
    const ctx = { traits: traits as unknown as Traits, profile: emptyProfile(), now, settings: DEFAULT_SCORING_SETTINGS };
    expect(c.test(ctx)).toBe(expected);
    expect([c.explain(ctx).matched, c.explain(ctx).actual]).toEqual([expected, actual]);
  });

  it('compiled into the configuration, segments test it and a fit-only profile stays cold', () => {
    const decision_makers = Segment.parse({
      id: 'dm',
      key: 'decision_makers',
      name: '決裁者',
      priority: 1,
      rule: { match: 'all', conditions: [{ type: 'fit', op: 'gte', value: 25 }] },
    });
    const config = compileConfig({
      version: '1',
      scoring: { rules: [], settings: DEFAULT_SCORING_SETTINGS, fit: rules },
      categories: [],
      segments: [decision_makers],
      slots: [],
      variants: [],
      experiments: [],
    });
    const traits = { level: 'executive', industry: 'IT' };
    const ctx = { traits, profile: emptyProfile(), now, settings: DEFAULT_SCORING_SETTINGS };
    expect(config.fit.score(traits)).toBe(25);
    expect(resolveSegment(config.segments, ctx)?.key).toBe('decision_makers');
    expect(tierOf(0, DEFAULT_SCORING_SETTINGS)).toBe('cold');
    // Without the configuration's fit rules, everyone's fit is 0.
    expect(resolveSegment(compileSegments([decision_makers]), ctx)).toBeNull();
  });
});
