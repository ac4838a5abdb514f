/**
 * The profile token's pure part (worker/core/profile-token.ts): a profile rebuilt from the claims
 * is read by every rule exactly as the original (each window's count, totals, score, segment), and
 * stays so after the same new events are applied to both; the claims hold only what the rules
 * read; when a token may stand in for a read. Profiles come from a seeded generator, in the
 * demo configuration (UTC and Asia/Tokyo) and one with trends and a 90-day window.
 */
import { describe, expect, it } from 'vitest';
import demo from '../../db/seed/demo.json';
import { compileConfig, type CompiledConfig } from '../../worker/core/compile';
import { countWithin } from '../../worker/core/counters';
import { applyEvents, currentScore, emptyProfile } from '../../worker/core/profile';
import {
  eventKey,
  eventKeys,
  profileFromClaims,
  TOKEN_MAX_AGE_MS,
  tokenClaims,
  tokenProblem,
  tokenReads,
} from '../../worker/core/profile-token';
import { resolveSegment } from '../../worker/core/segments';
import type { NormalizedEvent, Profile } from '../../worker/core/types';
import type { SiteConfig } from '../../worker/schema/config';
import { seededRandom } from '../../worker/core/random';

const DAY = 86_400_000;
const NOW = Date.parse('2026-12-02T01:00:00Z');

const base = { version: 'v1', ...demo } as unknown as SiteConfig;
const trends: SiteConfig = {
  ...base,
  segments: [
    {
      id: 'fading',
      key: 'fading',
      name: 'Fading',
      priority: 1,
      enabled: true,
      rule: {
        match: 'all',
        conditions: [
          { type: 'trend', event: 'page_view', where: { category: 'pricing' }, days: 14, op: 'lte', ratio: 0.5 },
          { type: 'behavior', event: 'download', where: {}, withinDays: 90, op: 'gte', count: 2 },
        ],
      },
    } as never,
    ...base.segments,
  ],
};
const CONFIGS: [string, CompiledConfig][] = [
  ['demo, UTC', compileConfig(base)],
  ['demo, Asia/Tokyo', compileConfig({ ...base, timeZone: 'Asia/Tokyo' })],
  ['trends and 90 days', compileConfig(trends)],
];

const TYPES: [NormalizedEvent['type'], Record<string, unknown>][] = [
  ['page_view', { category: 'pricing' }],
  ['page_view', { category: 'blog' }],
  ['page_view', {}],
  ['download', { asset: '/a.pdf', kind: 'case_study' }],
  ['download', { asset: '/w.pdf', kind: 'whitepaper' }],
  ['seminar_signup', { seminar: 'dx' }],
];

function randomEvents(rand: () => number, n: number, oldestDays: number, now = NOW): NormalizedEvent[] {
  return Array.from({ length: n }, (_, i) => {
    const [type, props] = TYPES[Math.floor(rand() * TYPES.length)]!;
    return { id: `e${i}-${Math.floor(rand() * 1e9)}`, type, at: now - Math.floor(rand() * oldestDays * DAY), props };
  });
}

function apply(config: CompiledConfig, profile: Profile, events: NormalizedEvent[], now = NOW): Profile {
  return applyEvents(profile, events, config.source.scoring, {
    now,
    retentionDays: config.retentionDays,
    countedKeys: config.countedKeys,
    calendar: config.calendar,
  }).profile;
}

const traits = { employees: 120, industry: 'SaaS', unread: 'x'.repeat(150) };

describe.each(CONFIGS)('rebuilt from the claims (%s)', (_, config) => {
  const settings = config.source.scoring.settings;
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('reads as the original, before and after new events (seed %i)', (seed) => {
    const rand = seededRandom(seed);
    const original = apply(config, emptyProfile(), randomEvents(rand, 40 + seed * 10, 100));
    const claims = tokenClaims({
      visitorId: 'v'.repeat(20),
      config,
      profile: original,
      traits,
      now: NOW,
      readAt: NOW,
      applied: new Set(),
    })!;
    const rebuilt = profileFromClaims(claims, config, NOW);
    const reads = tokenReads(config);
    const same = (a: Profile, b: Profile, now: number) => {
      for (const [key, windows] of reads.windows)
        for (const n of windows)
          expect(countWithin(b, key, n, now, config.calendar), `${key} ${n}`).toBe(countWithin(a, key, n, now, config.calendar));
      for (const key of reads.totals) expect(b.totals[key] ?? 0, key).toBe(a.totals[key] ?? 0);
      expect(currentScore(b, settings, now)).toBeCloseTo(currentScore(a, settings, now), 9);
      expect(resolveSegment(config.segments, { traits: rebuilt.traits, profile: b, now, settings })?.key).toBe(
        resolveSegment(config.segments, { traits, profile: a, now, settings })?.key,
      );
    };
    same(original, rebuilt.profile, NOW);
    // The next page: today's events (under today's caps) on both give the same reading again.
    const later = NOW + 20_000;
    const next = randomEvents(rand, 5, 0, later);
    same(apply(config, original, next, later), apply(config, rebuilt.profile, next, later), later);
  });

  it('holds only the traits the rules test', () => {
    const claims = tokenClaims({
      visitorId: 'v'.repeat(20),
      config,
      profile: emptyProfile(),
      traits,
      now: NOW,
      readAt: NOW,
      applied: new Set(),
    })!;
    expect(Object.keys(claims.r ?? {}).sort()).toEqual(['employees', 'industry']);
  });
});

describe('tokenProblem', () => {
  const config = CONFIGS[0]![1];
  const claims = tokenClaims({
    visitorId: 'a'.repeat(20),
    config,
    profile: emptyProfile(),
    traits: {},
    now: NOW,
    readAt: NOW,
    applied: new Set(),
  })!;
  it.each([
    ['fresh', { visitorId: 'a'.repeat(20), config, now: NOW + 1000 }, null],
    ['60 s after the read', { visitorId: 'a'.repeat(20), config, now: NOW + TOKEN_MAX_AGE_MS }, null],
    ['past 60 s', { visitorId: 'a'.repeat(20), config, now: NOW + TOKEN_MAX_AGE_MS + 1 }, 'expired'],
    ['read in the future', { visitorId: 'a'.repeat(20), config, now: NOW - 10_000 }, 'expired'],
    ['another visitor', { visitorId: 'b'.repeat(20), config, now: NOW }, 'foreign'],
    [
      'another version of the same profile shape',
      { visitorId: 'a'.repeat(20), config: compileConfig({ ...base, version: 'v2' }), now: NOW },
      null,
    ],
    [
      'a configuration that reads profiles differently',
      {
        visitorId: 'a'.repeat(20),
        config: compileConfig({
          ...base,
          version: 'v2',
          scoring: { ...base.scoring, settings: { ...base.scoring.settings, decayPerDay: 5 } },
        }),
        now: NOW,
      },
      'config',
    ],
    ['the next day', { visitorId: 'a'.repeat(20), config, now: Date.parse('2026-12-02T23:59:50Z') + 20_000 }, 'day'],
  ] as const)('%s', (_, at, want) => {
    const c = want === 'day' ? { ...claims, t: at.now - 1000 } : claims;
    expect(tokenProblem(c, at)).toBe(want);
  });
});

describe('event keys', () => {
  it('are 8 characters, stable, and round-trip through the claims', () => {
    const ids = Array.from({ length: 32 }, (_, i) => `pv-${i}-${'x'.repeat(20)}`);
    const keys = new Set(ids.map(eventKey));
    expect(keys.size).toBe(32);
    for (const k of keys) expect(k).toMatch(/^[0-9a-z]{8}$/);
    expect(eventKey(ids[0]!)).toBe(eventKey(`pv-0-${'x'.repeat(20)}`));
    expect(eventKeys({ e: [...keys].join('') })).toEqual(keys);
  });

  it('no token past 32 events since the read', () => {
    const config = CONFIGS[0]![1];
    const applied = new Set(Array.from({ length: 33 }, (_, i) => eventKey(`e${i}`)));
    expect(
      tokenClaims({ visitorId: 'a'.repeat(20), config, profile: emptyProfile(), traits: {}, now: NOW, readAt: NOW, applied }),
    ).toBeNull();
  });
});
