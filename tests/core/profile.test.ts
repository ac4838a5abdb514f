import { describe, expect, it } from 'vitest';
import { countWithin, dayNumber } from '../../worker/core/counters';
import { DEFAULT_SCORING_SETTINGS } from '../../worker/core/defaults';
import { applyEvents, currentScore, daysSincePreviousActivity, emptyProfile, mergeProfiles } from '../../worker/core/profile';
import { tierOf } from '../../worker/core/scoring';
import type { Profile } from '../../worker/core/types';
import type { ScoringSettings } from '../../worker/schema/config';
import profileCases from './cases/profile.json';
import mergeCases from './cases/merge.json';
import { DEFAULT_SCORING, ms, runBatches, toEvents, type CaseBatch } from './helpers';

const scoring = DEFAULT_SCORING;
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
  /** Cap ledger by UTC date ("2026-06-01") → rule → points. */
  caps?: Record<string, Record<string, number>>;
  /** First UTC date the ledger is complete from ("2026-06-01"), or null. */
  capsFrom?: string | null;
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
  if (e.caps) {
    const byDay = Object.fromEntries(Object.entries(e.caps).map(([date, ledger]) => [String(dayNumber(ms(date))), ledger]));
    expect(profile.caps).toEqual(byDay);
  }
  if (e.capsFrom !== undefined) expect(profile.capsFrom).toBe(e.capsFrom === null ? null : dayNumber(ms(e.capsFrom)));
  if (e.exposures) expect(profile.exposures).toEqual(e.exposures);
  if (e.converted) expect([...profile.converted].sort()).toEqual([...e.converted].sort());
  if (e.daysSincePrevious !== undefined) expect(daysSincePreviousActivity(profile, now!)).toBe(e.daysSincePrevious);
}

function checkReads(profile: Profile, reads: Read[] = [], settings = DEFAULT_SCORING_SETTINGS) {
  for (const r of reads) {
    const now = ms(r.now);
    if (r.currentScore !== undefined) expect(currentScore(profile, settings, now), r.now).toBe(r.currentScore);
    if (r.tier !== undefined) expect(tierOf(currentScore(profile, DEFAULT_SCORING_SETTINGS, now), DEFAULT_SCORING_SETTINGS)).toBe(r.tier);
    if (r.daysSincePrevious !== undefined) expect(daysSincePreviousActivity(profile, now), r.now).toBe(r.daysSincePrevious);
    if (r.count) expect(countWithin(profile, r.count.key, r.count.within, now), JSON.stringify(r.count)).toBe(r.count.value);
  }
}

describe('applyEvents', () => {
  type ProfileCase = { name: string; settings?: ScoringSettings; batches: CaseBatch[]; expect?: Expect; reads?: Read[] };
  it.each(profileCases as ProfileCase[])('$name', ({ settings, batches, expect: e = {}, reads }) => {
    const caseScoring = settings ? { ...scoring, settings } : scoring;
    const { profile, applied } = runBatches(batches, 90, undefined, caseScoring);
    checkProfile(profile, e);
    if (e.points) expect(applied.map((a) => a.points)).toEqual(e.points);
    if (e.lastPoints !== undefined) expect(applied.at(-1)?.points).toBe(e.lastPoints);
    if (e.breakdowns) expect(applied.map((a) => a.breakdown)).toEqual(e.breakdowns);
    if (e.appliedAt) expect(applied.map((a) => a.at)).toEqual(e.appliedAt.map(ms));
    expect(applied.at(-1)?.scoreAfter).toBe(profile.score);
    checkReads(profile, reads, caseScoring.settings);
  });

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

  it('a profile read from storage with a `__proto__` counter keeps it as an own key, in the input and the copy', () => {
    const { profile: start } = runBatches([{ events: [{ type: 'page_view', at: '2026-06-01T09:00:00Z' }] }]);
    const stored: Profile = JSON.parse(JSON.stringify(start).replace('"totals":{', '"totals":{"__proto__":4,'));
    expect(Object.hasOwn(stored.totals, '__proto__')).toBe(true);
    const before = JSON.stringify(stored);
    const { profile } = applyEvents(stored, [], scoring, { now: ms('2026-06-01T09:05:00Z'), retentionDays: 90 });
    expect(JSON.stringify(stored)).toBe(before);
    expect(Object.getPrototypeOf(profile.totals)).toBe(Object.prototype);
    expect(Object.hasOwn(profile.totals, '__proto__')).toBe(true);
    expect(JSON.stringify(profile.totals)).toContain('"__proto__":4');
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
    const merged = mergeProfiles(member, anon, scoring, now);
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
    expect(mergeProfiles(p, emptyProfile(), scoring, ms(c.now))).toEqual(p);
    expect(mergeProfiles(emptyProfile(), p, scoring, ms(c.now))).toEqual(p);
  });
});

describe('daily-cap ledger', () => {
  const inquiry = (id: string, at: string) => ({ id, type: 'form_inquiry' as const, at: ms(at), props: { form: 'contact' } });

  it('reads a profile stored with the one-day ledger of earlier versions, and writes it back per day', () => {
    // What an earlier version stored: only the latest day's ledger (capDay/capPoints).
    const stored = JSON.parse(
      JSON.stringify({
        score: 50,
        lastActiveAt: ms('2026-06-02T09:00:00Z'),
        visitStartedAt: ms('2026-06-02T09:00:00Z'),
        prevActiveAt: null,
        days: { [dayNumber(ms('2026-06-02'))]: { form_inquiry: 1 } },
        totals: { form_inquiry: 1 },
        capDay: dayNumber(ms('2026-06-02')),
        capPoints: { form_inquiry: 50 },
        exposures: {},
        converted: [],
      }),
    );
    const profile: Profile = { ...emptyProfile(), ...stored };
    const { profile: next, applied } = applyEvents(
      profile,
      [
        inquiry('same-day', '2026-06-02T10:00:00Z'),
        inquiry('day-before', '2026-06-01T09:00:00Z'),
        inquiry('day-after', '2026-06-03T09:00:00Z'),
      ],
      scoring,
      { now: ms('2026-06-03T09:00:00Z'), retentionDays: 90 },
    );
    // The old ledger still caps its day; the day before it was never recorded, so it is
    // treated as already capped; the day after is new.
    expect(applied.map((a) => [a.eventId, a.points])).toEqual([
      ['day-before', 0],
      ['same-day', 0],
      ['day-after', 50],
    ]);
    expect(next.caps).toEqual({
      [dayNumber(ms('2026-06-02'))]: { form_inquiry: 50 },
      [dayNumber(ms('2026-06-03'))]: { form_inquiry: 50 },
    });
    expect(next.capsFrom).toBe(dayNumber(ms('2026-06-02')));
    expect(Object.hasOwn(next, 'capDay') || Object.hasOwn(next, 'capPoints')).toBe(false);
  });

  it('reads a stored profile that never had events as having a complete ledger', () => {
    const profile: Profile = { ...emptyProfile(), ...JSON.parse('{"score":0,"lastActiveAt":null,"capDay":null,"capPoints":{}}') };
    const { profile: next, applied } = applyEvents(profile, [inquiry('old', '2026-05-01T09:00:00Z')], scoring, {
      now: ms('2026-06-01T09:00:00Z'),
      retentionDays: 90,
    });
    expect(applied[0]?.points).toBe(50);
    expect(next.capsFrom).toBeNull();
  });

  it('a merge where one profile no longer knows a day treats that day as capped', () => {
    const member = {
      ...runBatches([{ events: [{ type: 'page_view', at: '2026-06-05T09:00:00Z' }] }]).profile,
      capsFrom: dayNumber(ms('2026-06-03')),
    };
    const anon = runBatches([{ events: [{ type: 'form_inquiry', props: { form: 'a' }, at: '2026-06-01T09:00:00Z' }] }]).profile;
    const merged = mergeProfiles(member, anon, scoring, ms('2026-06-05T09:05:00Z'));
    // The inquiry's 50 has decayed to 46 by the member's last activity; taking back its
    // remainder as of the end of its day (47) leaves nothing above the member's page view.
    expect(merged.score).toBe(0);
    expect(merged.capsFrom).toBe(dayNumber(ms('2026-06-03')));
    expect(merged.caps).toEqual({ [dayNumber(ms('2026-06-05'))]: { page_view: 1 } });
  });

  it('a merge takes back only what the two profiles earned together past a cap, not a cap lowered since', () => {
    const member = runBatches([{ events: [{ type: 'form_inquiry', props: { form: 'a' }, at: '2026-06-01T09:00:00Z' }] }]).profile;
    const lowered = { ...scoring, rules: scoring.rules.map((r) => (r.id === 'form_inquiry' ? { ...r, dailyCap: 20 } : r)) };
    const now = ms('2026-06-01T09:05:00Z');
    expect(mergeProfiles(member, emptyProfile(), lowered, now).score).toBe(50);
    expect(mergeProfiles(member, member, lowered, now).score).toBe(50);
  });

  it('a rule whose id is also an Object.prototype name is capped like any other', () => {
    const rules = [{ id: 'constructor', eventType: 'download' as const, match: {}, points: 10, dailyCap: 20, enabled: true }];
    const events = toEvents([{ type: 'download', props: { asset: 'a' }, at: '2026-06-01T09:00:00Z', repeat: 3 }]);
    const { profile, applied } = applyEvents(
      emptyProfile(),
      events,
      { rules, settings: DEFAULT_SCORING_SETTINGS },
      {
        now: ms('2026-06-01T10:00:00Z'),
        retentionDays: 90,
      },
    );
    expect(applied.map((a) => a.points)).toEqual([10, 10, 0]);
    expect(profile.score).toBe(20);
  });
});
