// The console's words in both languages (the browser loads one language chunk at a time).
import '../../admin/src/i18n/all';
import { describe, expect, it } from 'vitest';
import demo from '../../db/seed/demo.json';
import { DEFAULT_SCORING_RULES, DEFAULT_SCORING_SETTINGS } from '../../worker/core/defaults';
import type { Segment } from '../../worker/schema/config';
import { parseTraits, simulate } from '../../admin/src/models/scoringModel';
import { chartGeometry, scoreSeries } from '../../admin/src/lib/scoreSeries';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 20, 12);
const segments = demo.segments as unknown as Segment[];

describe('scoring simulator (pure core in the browser)', () => {
  it('scores a sequence with the draft rules, decays it and resolves the segment', () => {
    const r = simulate(
      [
        { type: 'page_view', detail: 'pricing', daysAgo: 3 },
        { type: 'download', detail: 'whitepaper', daysAgo: 1 },
      ],
      { industry: 'SaaS', employees: 120 },
      DEFAULT_SCORING_RULES,
      DEFAULT_SCORING_SETTINGS,
      segments,
      NOW,
    );
    expect(r.points).toEqual([4, 30]);
    // 4 − 2 days of decay + 30, then 1 more day of decay.
    expect(r.score).toBe(31);
    expect(r.tier).toBe('warm');
    expect(r.segment?.key).toBe('hot_lead');
  });
  it('follows unsaved settings: a lower hot threshold and heavier decay', () => {
    const steps = [{ type: 'form_inquiry' as const, detail: 'contact', daysAgo: 2 }];
    const r = simulate(steps, {}, DEFAULT_SCORING_RULES, { decayPerDay: 5, hotAt: 40, warmAt: 10 }, [], NOW);
    expect(r.score).toBe(40);
    expect(r.tier).toBe('hot');
    expect(r.segment).toBeNull();
  });
  it('shows the fit of the simulated attributes beside the score, and fit conditions see it', () => {
    const fit = [{ id: 'exec', trait: 'level', op: 'eq' as const, value: 'executive', points: 15, enabled: true }];
    const dm = {
      id: 'dm',
      key: 'dm',
      name: '決裁者',
      description: '',
      priority: 1,
      enabled: true,
      rule: { match: 'all' as const, conditions: [{ type: 'fit' as const, op: 'gte' as const, value: 15 }] },
    };
    const r = simulate(
      [{ type: 'page_view', detail: '', daysAgo: 0 }],
      { level: 'executive' },
      DEFAULT_SCORING_RULES,
      DEFAULT_SCORING_SETTINGS,
      [dm],
      NOW,
      fit,
    );
    expect([r.score, r.fit, r.tier, r.segment?.key]).toEqual([1, 15, 'cold', 'dm']);
    expect(
      simulate(
        [{ type: 'page_view', detail: '', daysAgo: 0 }],
        { level: 'staff' },
        DEFAULT_SCORING_RULES,
        DEFAULT_SCORING_SETTINGS,
        [dm],
        NOW,
        fit,
      ).fit,
    ).toBe(0);
  });
  it('reads attributes one per line', () => {
    expect(parseTraits('industry=SaaS\nemployees = 120\n\nbad line\nphase=evaluating')).toEqual({
      industry: 'SaaS',
      employees: 120,
      phase: 'evaluating',
    });
  });
});

describe('score history series', () => {
  it('jumps at events, decays between them, floors at 0 and ends now', () => {
    const t0 = NOW - 40 * DAY;
    const pts = scoreSeries(
      [
        { at: t0, points: 10, scoreAfter: 10, type: 'download' },
        { at: t0 + 30 * DAY, points: 5, scoreAfter: 5, type: 'email_click' },
      ],
      1,
      NOW,
    );
    expect(pts.map((p) => [Math.round((p.t - t0) / DAY), p.score])).toEqual([
      [0, 0],
      [0, 10],
      [10, 0],
      [30, 0],
      [30, 5],
      [35, 0],
      [40, 0],
    ]);
    expect(pts.filter((p) => p.event).length).toBe(2);
  });
  it('maps into an SVG box', () => {
    const pts = scoreSeries([{ at: 0, points: 50, scoreAfter: 50, type: 'form_inquiry' }], 1, 10 * DAY);
    const g = chartGeometry(pts, { width: 100, height: 100, pad: { top: 0, right: 0, bottom: 0, left: 0 } });
    expect(g.path.startsWith('M0.0,100.0')).toBe(true);
    expect(g.x(10 * DAY)).toBe(100);
  });
});
