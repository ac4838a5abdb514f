/**
 * The demo seed is data (db/seed/demo.json); the code keeps the same defaults for a fresh site.
 * They must not drift apart, and the seed must validate against the shared schemas.
 */
import { describe, expect, it } from 'vitest';
import demo from '../../db/seed/demo.json';
import { DEFAULT_SCORING_RULES, DEFAULT_SCORING_SETTINGS } from '../../worker/core/defaults';
import { CategoryRule, Experiment, ScoringRule, ScoringSettings, Segment, Slot, Variant } from '../../worker/schema/config';

describe('demo seed', () => {
  it('scoring equals the code defaults (docs/api.md#scoring)', () => {
    expect(demo.scoring.rules).toEqual(DEFAULT_SCORING_RULES);
    expect(demo.scoring.settings).toEqual(DEFAULT_SCORING_SETTINGS);
  });

  it('every part validates against the shared zod schemas', () => {
    for (const r of demo.scoring.rules) expect(ScoringRule.safeParse(r).success).toBe(true);
    expect(ScoringSettings.safeParse(demo.scoring.settings).success).toBe(true);
    for (const c of demo.categories) expect(CategoryRule.safeParse(c).success).toBe(true);
    for (const s of demo.segments) expect(Segment.safeParse(s).error).toBeUndefined();
    for (const s of demo.slots) expect(Slot.safeParse(s).success).toBe(true);
    for (const v of demo.variants) expect(Variant.safeParse(v).success).toBe(true);
    for (const e of demo.experiments) expect(Experiment.safeParse(e).error).toBeUndefined();
  });

  it('has the docs/api.md#demo-configuration segments in priority order', () => {
    expect([...demo.segments].sort((a, b) => a.priority - b.priority).map((s) => s.key)).toEqual([
      'hot_lead',
      'consideration',
      'dormant',
      'info_gathering',
      'non_target',
    ]);
  });
});
