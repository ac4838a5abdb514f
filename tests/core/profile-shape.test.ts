/**
 * The profile shape (worker/core/profile-shape.ts), from the table in cases/profile-shape.json:
 * edits that change nothing a profile token holds or how it is read keep the shape (and a token
 * built before them fits after them), the others change it (and the token does not fit). For
 * every edit that keeps the shape, a token built before it rebuilds, under the edited
 * configuration, a profile from which that configuration builds the very same claims — the
 * property the shape stands for.
 */
import { describe, expect, it } from 'vitest';
import demo from '../../db/seed/demo.json';
import { compileConfig } from '../../worker/core/compile';
import { applyEvents, emptyProfile } from '../../worker/core/profile';
import { profileShape, tokenFits } from '../../worker/core/profile-shape';
import { profileFromClaims, tokenClaims, tokenProblem } from '../../worker/core/profile-token';
import type { NormalizedEvent } from '../../worker/core/types';
import type { SiteConfig } from '../../worker/schema/config';
import cases from './cases/profile-shape.json';

interface Edit {
  op: 'set' | 'push' | 'remove';
  path: string;
  value?: unknown;
}

const NOW = Date.parse('2026-12-02T03:00:00Z');
const DAY = 86_400_000;
const VISITOR = 'v'.repeat(20);
const base = { version: 'v1', timeZone: demo.site.timeZone, ...demo } as unknown as SiteConfig;

const at = (root: unknown, path: string[]): any => path.reduce((node: any, key) => node[key], root);

/** The demo configuration with `edits` applied and a new version, as an admin save gives it. */
function edited(edits: Edit[]): SiteConfig {
  const config = structuredClone(base) as unknown as Record<string, unknown>;
  for (const e of edits) {
    const path = e.path.split('.');
    const last = path.pop()!;
    const parent = at(config, path);
    const from = (e.value as { $from?: string } | undefined)?.$from;
    const value = from ? structuredClone(at(base, from.split('.'))) : e.value;
    if (e.op === 'set') parent[last] = value;
    else if (e.op === 'push') parent[last].push(value);
    else if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  }
  config.version = 'v2';
  return config as unknown as SiteConfig;
}

/** A profile with some of everything the demo reads: windows, totals, caps, an arm. */
function profile() {
  const events: NormalizedEvent[] = [
    { id: 'e1', type: 'page_view', at: NOW - 20 * DAY, props: { category: 'blog' } },
    { id: 'e2', type: 'download', at: NOW - 10 * DAY, props: { kind: 'case_study' } },
    { id: 'e3', type: 'page_view', at: NOW - 3 * DAY, props: { category: 'pricing' } },
    { id: 'e4', type: 'download', at: NOW - 60_000, props: { kind: 'whitepaper' } },
    { id: 'e5', type: 'download', at: NOW - 30_000, props: {} },
  ];
  const config = compileConfig(base);
  const p = applyEvents(emptyProfile(), events, config.source.scoring, {
    now: NOW,
    retentionDays: config.retentionDays,
    countedKeys: config.countedKeys,
    calendar: config.calendar,
  }).profile;
  p.exposures.exp_consideration_hero = { arm: 'case_a', at: NOW - DAY, vid: VISITOR };
  return p;
}

const before = compileConfig(base);
const claimsBefore = tokenClaims({
  visitorId: VISITOR,
  config: before,
  profile: profile(),
  traits: { employees: 200, industry: 'IT', region: '関東' },
  now: NOW,
  readAt: NOW,
  applied: new Set(),
})!;

describe('profile shape', () => {
  it('is short, stable and cached per compiled configuration', () => {
    expect(profileShape(before)).toMatch(/^[0-9a-z]{1,11}$/);
    expect(profileShape(before)).toBe(profileShape(before));
    expect(profileShape(compileConfig(base))).toBe(profileShape(before));
    expect(claimsBefore.f).toBe(profileShape(before));
  });

  describe('kept by an edit that changes nothing a token holds', () => {
    it.each(cases.same as { name: string; edits: Edit[] }[])('$name', ({ edits }) => {
      const after = compileConfig(edited(edits));
      expect(after.version).not.toBe(before.version);
      expect(profileShape(after)).toBe(profileShape(before));
      expect(tokenFits(claimsBefore, after)).toBe(true);
      expect(tokenProblem(claimsBefore, { visitorId: VISITOR, config: after, now: NOW })).toBeNull();
      // The token means the same under the edited configuration: the profile it rebuilds gives
      // back the very claims it came from.
      const rebuilt = profileFromClaims(claimsBefore, after, NOW);
      const again = tokenClaims({
        visitorId: VISITOR,
        config: after,
        profile: rebuilt.profile,
        traits: rebuilt.traits,
        now: NOW,
        readAt: NOW,
        applied: new Set(),
      });
      expect({ ...again, c: 'v1' }).toEqual(claimsBefore);
    });
  });

  describe('changed by an edit that changes what a token holds or how it is read', () => {
    it.each(cases.different as { name: string; edits: Edit[] }[])('$name', ({ edits }) => {
      const after = compileConfig(edited(edits));
      expect(profileShape(after)).not.toBe(profileShape(before));
      expect(tokenFits(claimsBefore, after)).toBe(false);
      expect(tokenProblem(claimsBefore, { visitorId: VISITOR, config: after, now: NOW })).toBe('config');
    });
  });

  it('a token from before the shape existed (no `f`) fits its own version only', () => {
    const { f: _, ...old } = claimsBefore;
    expect(tokenFits(old, before)).toBe(true);
    expect(tokenFits(old, compileConfig(edited([])))).toBe(false);
  });
});
