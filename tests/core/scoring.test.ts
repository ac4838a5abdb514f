import { describe, expect, it } from 'vitest';
import { DEFAULT_SCORING_RULES, DEFAULT_SCORING_SETTINGS } from '../../worker/core/defaults';
import { decayedScore, matchingRules, tierOf } from '../../worker/core/scoring';
import { DAY_MS, type NormalizedEvent } from '../../worker/core/types';
import { ScoringRule, ScoringSettings, type EventType, type Tier } from '../../worker/schema/config';
import cases from './cases/scoring.json';

const T0 = Date.UTC(2026, 5, 1, 9);
const event = (e: { type: string; props: Record<string, unknown> }): NormalizedEvent => ({
  id: 'e1',
  type: e.type as EventType,
  at: T0,
  props: e.props,
});

describe('default scoring (docs/api.md#scoring)', () => {
  it('is valid configuration data', () => {
    for (const rule of DEFAULT_SCORING_RULES) expect(ScoringRule.parse(rule)).toEqual(rule);
    expect(ScoringSettings.parse(DEFAULT_SCORING_SETTINGS)).toEqual({ decayPerDay: 1, hotAt: 80, warmAt: 30 });
  });

  it('never caps a single form_inquiry below its 50 points', () => {
    const rule = DEFAULT_SCORING_RULES.find((r) => r.id === 'form_inquiry')!;
    expect(rule.points).toBe(50);
    expect(rule.dailyCap ?? Infinity).toBeGreaterThanOrEqual(50);
  });

  it.each(cases.contractTable)('$row → $points points', ({ event: e, points, rules }) => {
    const matched = matchingRules(event(e), DEFAULT_SCORING_RULES);
    expect(matched.map((r) => r.id)).toEqual(rules);
    expect(matched.reduce((s, r) => s + r.points, 0)).toBe(points);
  });
});

describe('matchingRules', () => {
  it.each(cases.matching)('$name', ({ rules, event: e, rules_matched }) => {
    const parsed = rules.map((r) => ScoringRule.parse(r));
    expect(matchingRules(event(e), parsed).map((r) => r.id)).toEqual(rules_matched);
  });
});

describe('decayedScore', () => {
  it.each(cases.decay)('$name', ({ score, elapsedDays, decayPerDay, expected }) => {
    expect(decayedScore(score, T0, T0 + elapsedDays * DAY_MS, decayPerDay)).toBe(expected);
  });

  it('leaves a never-active score alone', () => {
    expect(decayedScore(0, null, T0, 1)).toBe(0);
  });
});

describe('tierOf at the default thresholds', () => {
  it.each(cases.tiers)('$score → $tier', ({ score, tier }) => {
    expect(tierOf(score, DEFAULT_SCORING_SETTINGS)).toBe(tier as Tier);
  });
});
