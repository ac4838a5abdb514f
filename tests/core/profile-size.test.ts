/**
 * A profile is one D1 column read and written on every request: whatever pages send, it keeps
 * only the counters the configuration reads and never grows past MAX_PROFILE_BYTES.
 */
import { describe, expect, it } from 'vitest';
import demoSeed from '../../db/seed/demo.json';
import { compileConfig, countedKeysFor } from '../../worker/core/compile';
import { dayNumber } from '../../worker/core/counters';
import { applyEvents, emptyProfile, MAX_PROFILE_BYTES, mergeProfiles } from '../../worker/core/profile';
import { DAY_MS, type NormalizedEvent, type Profile } from '../../worker/core/types';
import { CategoryRule, ScoringRule, ScoringSettings, Segment, type SiteConfig } from '../../worker/schema/config';
import { DEFAULT_SCORING, ms } from './helpers';

const demo: SiteConfig = {
  version: '1',
  scoring: {
    rules: demoSeed.scoring.rules.map((r) => ScoringRule.parse(r)),
    settings: ScoringSettings.parse(demoSeed.scoring.settings),
  },
  categories: demoSeed.categories.map((c) => CategoryRule.parse(c)),
  segments: demoSeed.segments.map((s) => Segment.parse(s)),
  slots: [],
  variants: [],
  experiments: [],
};
const counted = countedKeysFor(demo);
const bytes = (p: Profile) => new TextEncoder().encode(JSON.stringify(p)).length;
const now = ms('2026-06-30T12:00:00Z');
let seq = 0;
const uniqueValue = (length: number) => `${++seq}-`.padEnd(length, 'x');
const download = (at: number, asset = uniqueValue(200)): NormalizedEvent => ({
  id: `d${++seq}`,
  type: 'download',
  at,
  props: { asset, kind: 'whitepaper', note: uniqueValue(200) },
});

describe('countedKeysFor', () => {
  it('names what segments read, what scoring rules match and the URL categories', () => {
    expect([...counted].sort()).toEqual([
      'download.kind=case_study', // consideration segment
      'download.kind=whitepaper', // download_whitepaper rule
      'page_view.category=blog', // info_gathering segment, blog category
      'page_view.category=case_study', // case_studies category
      'page_view.category=pricing', // hot_lead segment, pricing rule and category
      'page_view.category=product', // product rule and category
    ]);
    expect(compileConfig(demo).countedKeys).toEqual(counted);
  });

  it.each([
    {
      name: 'a behaviour condition nested in a group',
      conditions: [{ type: 'group', match: 'any', conditions: [{ type: 'behavior', event: 'video_view', where: { video: 'intro' } }] }],
      key: 'video_view.video=intro',
    },
    { name: 'a type-only condition reads the type counter, always kept', conditions: [{ type: 'behavior', event: 'login' }], key: null },
  ])('$name', ({ conditions, key }) => {
    const segment = Segment.parse({ id: 's', key: 's', name: 's', priority: 1, enabled: false, rule: { match: 'all', conditions } });
    const keys = countedKeysFor({ scoring: { rules: [], settings: demo.scoring.settings }, categories: [], segments: [segment] });
    expect([...keys]).toEqual(key ? [key] : []);
  });
});

describe('per-value counters', () => {
  it('are kept only for the keys the configuration reads; the type counter always is', () => {
    const events = Array.from({ length: 1000 }, (_, i) => download(now - (i % 20) * DAY_MS));
    const { profile } = applyEvents(emptyProfile(), events, DEFAULT_SCORING, { now, retentionDays: 90, countedKeys: counted });
    expect(profile.totals).toEqual({ download: 1000, 'download.kind=whitepaper': 1000 });
    for (const bucket of Object.values(profile.days)) expect(Object.keys(bucket).sort()).toEqual(['download', 'download.kind=whitepaper']);
    expect(bytes(profile)).toBeLessThan(8 * 1024);
  });

  it('that a stored profile kept before the configuration stopped reading them are dropped on the next write', () => {
    const today = String(dayNumber(now));
    const start: Profile = {
      ...emptyProfile(),
      days: {
        [today]: { download: 2, 'download.asset=a.pdf': 1, 'download.asset=b.pdf': 1, 'page_view.category=pricing': 1, page_view: 1 },
      },
      totals: { download: 2, 'download.asset=a.pdf': 1, 'download.asset=b.pdf': 1, 'page_view.category=pricing': 1, page_view: 1 },
    };
    const event: NormalizedEvent = { id: 'pv', type: 'page_view', at: now, props: { category: 'pricing' } };
    const { profile } = applyEvents(start, [event], DEFAULT_SCORING, { now, retentionDays: 90, countedKeys: counted });
    expect(profile.totals).toEqual({ download: 2, 'page_view.category=pricing': 2, page_view: 2 });
    expect(profile.days[today]).toEqual(profile.totals);
  });

  it('are all kept when no key set is given (the admin simulator)', () => {
    const { profile } = applyEvents(emptyProfile(), [download(now, 'wp.pdf')], DEFAULT_SCORING, { now, retentionDays: 90 });
    expect(profile.totals).toEqual({ download: 1, 'download.kind=whitepaper': 1, 'download.asset=wp.pdf': 1 });
  });
});

describe('MAX_PROFILE_BYTES', () => {
  it('is 64 KB', () => {
    expect(MAX_PROFILE_BYTES).toBe(65_536);
  });

  it('holds for 20 requests of 50 downloads with unique values, even with every value counted', () => {
    let profile = emptyProfile();
    for (let request = 0; request < 20; request++) {
      const at = now - (19 - request) * DAY_MS;
      const events = Array.from({ length: 50 }, (_, i) => download(at + i * 1000));
      ({ profile } = applyEvents(profile, events, DEFAULT_SCORING, { now: at, retentionDays: 90 }));
      expect(bytes(profile)).toBeLessThanOrEqual(MAX_PROFILE_BYTES);
    }
    // Scoring state is never trimmed: 20 days of downloads at the daily caps (30 + 40), decayed.
    expect(profile.totals.download).toBe(1000);
    expect(profile.totals['download.kind=whitepaper']).toBe(1000);
    expect(profile.lastActiveAt).toBe(now + 49_000);
    const { applied } = applyEvents(
      profile,
      [{ id: 'later', type: 'form_inquiry', at: now + DAY_MS, props: { form: 'contact' } }],
      DEFAULT_SCORING,
      { now: now + DAY_MS, retentionDays: 90 },
    );
    expect(applied[0]?.points).toBe(50);
  });

  it('drops the oldest day buckets first and keeps the latest, the lifetime totals and the counters read', () => {
    // 365 days of activity on 40 counted values: far more day buckets than fit.
    const keys = Array.from({ length: 40 }, (_, i) => `page_view.category=category-number-${i}`);
    const events: NormalizedEvent[] = [];
    for (let d = 0; d < 365; d++) {
      for (let i = 0; i < 40; i++)
        events.push({ id: `pv${d}-${i}`, type: 'page_view', at: now - d * DAY_MS, props: { category: `category-number-${i}` } });
    }
    const { profile } = applyEvents(emptyProfile(), events, DEFAULT_SCORING, { now, retentionDays: 365, countedKeys: new Set(keys) });
    expect(bytes(profile)).toBeLessThanOrEqual(MAX_PROFILE_BYTES);
    const days = Object.keys(profile.days)
      .map(Number)
      .sort((a, b) => a - b);
    expect(days.at(-1)).toBe(dayNumber(now));
    expect(days.length).toBeGreaterThan(30);
    expect(days.length).toBeLessThan(365);
    // The kept days are the newest ones, with nothing dropped inside them.
    expect(days[0]).toBe(dayNumber(now) - days.length + 1);
    expect(Object.keys(profile.days[String(days[0])]!)).toHaveLength(41);
    expect(Object.keys(profile.totals)).toHaveLength(41);
    expect(profile.totals.page_view).toBe(365 * 40);
    // Cap ledgers go with their days, and the days they covered are then known to be capped.
    expect(profile.capsFrom).toBe(Math.min(...Object.keys(profile.caps).map(Number)));
  });

  it('then drops the rarest counters a bound-less caller kept', () => {
    const events: NormalizedEvent[] = Array.from({ length: 2000 }, (_, i) => ({
      id: `pv${i}`,
      type: 'page_view',
      at: now,
      props: { category: i % 2 ? 'pricing' : uniqueValue(100) },
    }));
    const { profile } = applyEvents(emptyProfile(), events, DEFAULT_SCORING, { now, retentionDays: 90 });
    expect(bytes(profile)).toBeLessThanOrEqual(MAX_PROFILE_BYTES);
    expect(profile.totals.page_view).toBe(2000);
    expect(profile.totals['page_view.category=pricing']).toBe(1000);
    expect(profile.score).toBe(49);
  });

  it('holds for a merge of two full profiles', () => {
    const full = (label: string) => {
      const events = Array.from(
        { length: 1500 },
        (_, i): NormalizedEvent => ({
          id: `${label}${i}`,
          type: 'video_view',
          at: now - (i % 60) * DAY_MS,
          props: { video: `${label}-${uniqueValue(80)}` },
        }),
      );
      return applyEvents(emptyProfile(), events, DEFAULT_SCORING, { now, retentionDays: 90 }).profile;
    };
    const [member, anon] = [full('m'), full('a')];
    expect(bytes(member)).toBeGreaterThan(MAX_PROFILE_BYTES / 2);
    const merged = mergeProfiles(member, anon, DEFAULT_SCORING, now);
    expect(bytes(merged)).toBeLessThanOrEqual(MAX_PROFILE_BYTES);
    expect(merged.totals.video_view).toBe(3000);
  });
});
