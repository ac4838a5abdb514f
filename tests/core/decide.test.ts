/**
 * The pure slot decision over the demo configuration: content per segment, sticky arms,
 * control keeps the default, paused experiments show the default, forced (preview) arms.
 */
import { describe, expect, it } from 'vitest';
import demo from '../../db/seed/demo.json';
import { compileConfig } from '../../worker/core/compile';
import { decideSlots } from '../../worker/core/decide';
import type { SiteConfig } from '../../worker/schema/config';

const base = { version: 't', ...demo } as unknown as SiteConfig;
const withStatus = (status: string) =>
  compileConfig({ ...base, experiments: base.experiments.map((e) => ({ ...e, status })) } as SiteConfig);
const none = { exposures: {} };

describe('decideSlots', () => {
  const cfg = compileConfig(base);

  it.each([
    ['hot_lead', { hero: 'hot_lead_hero', cta: 'hot_lead_cta' }],
    ['info_gathering', { hero: 'info_gathering_hero', cta: null }],
    ['dormant', { hero: 'dormant_hero', cta: null }],
    ['non_target', { hero: null, cta: 'non_target_cta' }],
  ])('%s gets its variants', (segment, want) => {
    const out = decideSlots(cfg, segment, ['hero', 'cta'], 'visitor-0000000000000001', none);
    expect({ hero: out.slots.hero?.variant ?? null, cta: out.slots.cta?.variant ?? null }).toEqual(want);
    expect(out.exposures).toEqual([]);
  });

  it('no segment → every slot null', () => {
    expect(decideSlots(cfg, null, ['hero', 'cta'], 'visitor-0000000000000001', none).slots).toEqual({ hero: null, cta: null });
  });

  it('running experiment: an arm per visitor, exposure once, control keeps the default', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const vid = `visitor-${String(i).padStart(16, '0')}`;
      const a = decideSlots(cfg, 'consideration', ['hero'], vid, none);
      const b = decideSlots(cfg, 'consideration', ['hero'], vid, none);
      expect(b.slots.hero).toEqual(a.slots.hero);
      const d = a.slots.hero!;
      seen.add(d.arm!);
      expect(a.exposures).toEqual([{ experiment: 'exp_consideration_hero', arm: d.arm, segment: 'consideration' }]);
      if (d.arm === 'control') expect(d).toEqual({ variant: null, experiment: 'exp_consideration_hero', arm: 'control', content: null });
      else expect(d.content!.html.length).toBeGreaterThan(0);
      // Already exposed: no new exposure, same arm even if the hash would say otherwise.
      const again = decideSlots(cfg, 'consideration', ['hero'], 'someone-else-entirely', {
        exposures: { exp_consideration_hero: { arm: d.arm!, at: 0, vid } },
      });
      expect(again.exposures).toEqual([]);
      expect(again.slots.hero!.arm).toBe(d.arm);
    }
    expect(seen).toEqual(new Set(['control', 'case_a', 'case_b']));
  });

  it.each(['paused', 'draft'])('%s experiment: its variants are not served, the page keeps its default', (status) => {
    const out = decideSlots(withStatus(status), 'consideration', ['hero'], 'visitor-0000000000000001', none);
    expect(out.slots.hero).toBeNull();
    expect(out.exposures).toEqual([]);
  });

  it('stopped experiment: its first enabled variant becomes ordinary content', () => {
    const out = decideSlots(withStatus('stopped'), 'consideration', ['hero'], 'visitor-0000000000000001', none);
    expect(out.slots.hero).toMatchObject({ variant: 'consideration_case_a', experiment: null, arm: null });
  });

  it('forced arms (preview) win over bucketing and record nothing new when already exposed', () => {
    for (const arm of ['control', 'case_a', 'case_b']) {
      const out = decideSlots(cfg, 'consideration', ['hero'], 'visitor-0000000000000001', none, { exp_consideration_hero: arm });
      expect(out.slots.hero!.arm).toBe(arm);
    }
  });
});
