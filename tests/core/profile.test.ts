import { describe, expect, it } from 'vitest';
import { countWithin } from '../../worker/core/counters';
import { DEFAULT_SCORING_RULES, DEFAULT_SCORING_SETTINGS } from '../../worker/core/defaults';
import {
  applyEvents,
  currentScore,
  daysSincePreviousActivity,
  emptyProfile,
  mergeProfiles,
} from '../../worker/core/profile';
import { tierOf } from '../../worker/core/scoring';
import type { Profile } from '../../worker/core/types';
import profileCases from './cases/profile.json';
import mergeCases from './cases/merge.json';
import { ms, runBatches, toEvents, type CaseBatch } from './helpers';

const scoring = { rules: DEFAULT_SCORING_RULES, settings: DEFAULT_SCORING_SETTINGS };
const time = (iso: string | null | undefined) => (iso == null ? iso : ms(iso));

interface Expect {
  score?: number;
  lastActiveAt?: string;
  prevActiveAt?: string | null;
  visitStartedAt?: string;
  points?: number[];
  lastPoints?: number;
  breakdowns?: unknown[];
  appliedAt?: string[];
  totals?: Record<string, number>;
  dayCount?: number;
  capPoints?: Record<string, number>;
  exposures?: unknown;
  converted?: string[];
  daysSincePrevious?: number | null;
}
interface Read {
  now: string;
  currentScore?: number;
  tier?: string;
  daysSincePrevious?: number | null;
  count?: { key: string; within: number | null; value: number };
}

function checkProfile(profile: Profile, e: Expect, now?: number) {
  if (e.score !== undefined) expect(profile.score).toBe(e.score);
  if (e.lastActiveAt !== undefined) expect(profile.lastActiveAt).toBe(time(e.lastActiveAt));
  if (e.prevActiveAt !== undefined) expect(profile.prevActiveAt).toBe(time(e.prevActiveAt));
  if (e.visitStartedAt !== undefined) expect(profile.visitStartedAt).toBe(time(e.visitStartedAt));
  if (e.totals) expect(profile.totals).toMatchObject(e.totals);
  if (e.dayCount !== undefined) expect(Object.keys(profile.days)).toHaveLength(e.dayCount);
  if (e.capPoints) expect(profile.capPoints).toEqual(e.capPoints);
  if (e.exposures) expect(profile.exposures).toEqual(e.exposures);
  if (e.converted) expect([...profile.converted].sort()).toEqual([...e.converted].sort());
  if (e.daysSincePrevious !== undefined) expect(daysSincePreviousActivity(profile, now!)).toBe(e.daysSincePrevious);
}

function checkReads(profile: Profile, reads: Read[] = []) {
  for (const r of reads) {
    const now = ms(r.now);
    if (r.currentScore !== undefined) expect(currentScore(profile, DEFAULT_SCORING_SETTINGS, now), r.now).toBe(r.currentScore);
    if (r.tier !== undefined) expect(tierOf(currentScore(profile, DEFAULT_SCORING_SETTINGS, now), DEFAULT_SCORING_SETTINGS)).toBe(r.tier);
    if (r.daysSincePrevious !== undefined) expect(daysSincePreviousActivity(profile, now), r.now).toBe(r.daysSincePrevious);
    if (r.count) expect(countWithin(profile, r.count.key, r.count.within, now), JSON.stringify(r.count)).toBe(r.count.value);
  }
}

describe('applyEvents', () => {
  it.each(profileCases as { name: string; batches: CaseBatch[]; expect?: Expect; reads?: Read[] }[])(
    '$name',
    ({ batches, expect: e = {}, reads }) => {
      const { profile, applied } = runBatches(batches);
      checkProfile(profile, e);
      if (e.points) expect(applied.map((a) => a.points)).toEqual(e.points);
      if (e.lastPoints !== undefined) expect(applied.at(-1)?.points).toBe(e.lastPoints);
      if (e.breakdowns) expect(applied.map((a) => a.breakdown)).toEqual(e.breakdowns);
      if (e.appliedAt) expect(applied.map((a) => a.at)).toEqual(e.appliedAt.map(ms));
      expect(applied.at(-1)?.scoreAfter).toBe(profile.score);
      checkReads(profile, reads);
    },
  );

  it('never mutates the input profile or events', () => {
    const { profile: start } = runBatches([{ events: [{ type: 'page_view', at: '2026-06-01T09:00:00Z' }] }]);
    const frozenStart = structuredClone(start);
    const events = toEvents([{ type: 'download', props: { kind: 'whitepaper' }, at: '2026-06-01T09:05:00Z' }]);
    const frozenEvents = structuredClone(events);
    const { profile } = applyEvents(start, events, scoring, { now: ms('2026-06-01T09:05:00Z'), retentionDays: 90 });
    expect(start).toEqual(frozenStart);
    expect(events).toEqual(frozenEvents);
    expect(profile.score).toBe(31);
  });

  it('applying nothing changes nothing but pruning', () => {
    const { profile } = applyEvents(emptyProfile(), [], scoring, { now: 0, retentionDays: 90 });
    expect(profile).toEqual(emptyProfile());
  });
});

type MergeCase = {
  name: string;
  member: CaseBatch[];
  anon: CaseBatch[];
  memberExtra?: Partial<Profile>;
  anonExtra?: Partial<Profile>;
  now: string;
  expect: Expect;
  reads?: Read[];
  thenApply?: CaseBatch & { points: number[] };
};

describe('mergeProfiles', () => {
  it.each(mergeCases as MergeCase[])('$name', (c) => {
    const member = { ...runBatches(c.member).profile, ...c.memberExtra };
    const anon = { ...runBatches(c.anon).profile, ...c.anonExtra };
    const [memberBefore, anonBefore] = [structuredClone(member), structuredClone(anon)];
    const now = ms(c.now);
    const merged = mergeProfiles(member, anon, DEFAULT_SCORING_SETTINGS, now);
    expect(member).toEqual(memberBefore);
    expect(anon).toEqual(anonBefore);
    checkProfile(merged, c.expect, now);
    checkReads(merged, c.reads);
    if (c.thenApply) {
      const { applied } = runBatches([c.thenApply], 90, merged);
      expect(applied.map((a) => a.points)).toEqual(c.thenApply.points);
    }
  });

  it.each(mergeCases as MergeCase[])('merging with an empty profile is the identity ($name)', (c) => {
    const p = { ...runBatches(c.member).profile, ...c.memberExtra };
    expect(mergeProfiles(p, emptyProfile(), DEFAULT_SCORING_SETTINGS, ms(c.now))).toEqual(p);
    expect(mergeProfiles(emptyProfile(), p, DEFAULT_SCORING_SETTINGS, ms(c.now))).toEqual(p);
  });
});
