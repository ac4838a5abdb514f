/**
 * When an alert fires (worker/core/alerts/trigger.ts): entries, hysteresis, cooldown and the
 * memory carried in the profile, driven by the sequences in cases/alert-trigger.json.
 */
import { describe, expect, it } from 'vitest';
import { type AlertMemories, type AlertRule, checkAlerts, holds, memoryKey } from '../../worker/core/alerts/trigger';
import { DEFAULT_SCORING_SETTINGS } from '../../worker/core/defaults';
import { DAY_MS } from '../../worker/core/types';
import type { AlertTrigger } from '../../worker/schema/alerts';
import type { ScoringSettings } from '../../worker/schema/config';
import cases from './cases/alert-trigger.json';

const T0 = Date.UTC(2026, 11, 1, 1);
type Moment = { score: number; segment?: string | null };
const moment = (m: Moment) => ({ score: m.score, segment: m.segment ?? null });

describe('checkAlerts over a member’s requests', () => {
  it.each(cases.sequences)('$name', ({ trigger, cooldownDays, steps, ...rest }) => {
    const settings = ((rest as { settings?: ScoringSettings }).settings ?? DEFAULT_SCORING_SETTINGS) as ScoringSettings;
    const rule: AlertRule = { id: 'alt_1', trigger: trigger as AlertTrigger, cooldownMs: cooldownDays * DAY_MS };
    let memories: AlertMemories | undefined;
    steps.forEach((step, i) => {
      const out = checkAlerts([rule], memories, () => moment(step.before), moment(step.after), settings, T0 + step.day * DAY_MS);
      expect({ step: i, fires: out.fired.length === 1 }).toEqual({ step: i, fires: step.fires });
      memories = out.memories;
    });
  });

  it('reads the profile before the request only for an alert with no memory yet', () => {
    let reads = 0;
    const before = () => {
      reads++;
      return { score: 10, segment: null };
    };
    const rule: AlertRule = { id: 'a', trigger: { type: 'score_reached', score: 50 }, cooldownMs: 0 };
    const first = checkAlerts([rule], undefined, before, { score: 60, segment: null }, DEFAULT_SCORING_SETTINGS, T0);
    expect(reads).toBe(1);
    checkAlerts([rule], first.memories, before, { score: 61, segment: null }, DEFAULT_SCORING_SETTINGS, T0);
    expect(reads).toBe(1);
  });

  it('keeps only the current alerts’ memories, and a changed trigger starts afresh', () => {
    const hot: AlertRule = { id: 'a', trigger: { type: 'tier_reached', tier: 'hot' }, cooldownMs: 0 };
    const { memories } = checkAlerts(
      [hot],
      { 'gone:score_reached:5': { in: true, firedAt: 1 } },
      () => ({ score: 0, segment: null }),
      { score: 90, segment: null },
      DEFAULT_SCORING_SETTINGS,
      T0,
    );
    expect(Object.keys(memories)).toEqual(['a:tier_reached:hot']);
    // Same alert, now "score 50": the member (at 90, and at 90 before) is already in, so no fire.
    const edited: AlertRule = { ...hot, trigger: { type: 'score_reached', score: 50 } };
    expect(memoryKey(edited)).not.toBe(memoryKey(hot));
    const out = checkAlerts(
      [edited],
      memories,
      () => ({ score: 90, segment: null }),
      { score: 91, segment: null },
      DEFAULT_SCORING_SETTINGS,
      T0,
    );
    expect(out.fired).toEqual([]);
    expect(out.memories['a:score_reached:50']).toEqual({ in: true });
  });

  it('fires each alert the request crosses, once', () => {
    const rules: AlertRule[] = [
      { id: 'warm', trigger: { type: 'tier_reached', tier: 'warm' }, cooldownMs: 0 },
      { id: 'hot', trigger: { type: 'tier_reached', tier: 'hot' }, cooldownMs: 0 },
      { id: 'seg', trigger: { type: 'segment_entered', segment: 'hot_lead' }, cooldownMs: 0 },
    ];
    const out = checkAlerts(
      rules,
      undefined,
      () => ({ score: 20, segment: null }),
      { score: 85, segment: 'hot_lead' },
      DEFAULT_SCORING_SETTINGS,
      T0,
    );
    expect(out.fired.map((r) => r.id)).toEqual(['warm', 'hot', 'seg']);
  });
});

describe('holds (hysteresis)', () => {
  it.each(cases.holds)('$name', (c) => {
    const m = { score: c.score, segment: (c as { segment?: string }).segment ?? null };
    expect(holds(c.trigger as AlertTrigger, m, DEFAULT_SCORING_SETTINGS, c.wasIn)).toBe(c.holds);
  });
});
