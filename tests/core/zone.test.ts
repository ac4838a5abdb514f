/**
 * The site's time zone (cases/zone.json): which day an instant is in, daily caps, behaviour
 * windows and trends by the site's days; a change of zone for profiles stored before it (keys,
 * ledgers, `capsFrom`); one Intl lookup per quarter hour, not per event.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SCORING_SETTINGS } from '../../worker/core/defaults';
import { countWithin } from '../../worker/core/counters';
import { applyEvents, emptyProfile, mergeProfiles } from '../../worker/core/profile';
import { inZone } from '../../worker/core/rezone';
import { compileCondition } from '../../worker/core/segments';
import { DAY_MS, type Profile } from '../../worker/core/types';
import { isTimeZone, offsetSpans, siteCalendar } from '../../worker/core/zone';
import { Condition } from '../../worker/schema/config';
import cases from './cases/zone.json';
import { DEFAULT_SCORING, ms, toEvents, type CaseEvent } from './helpers';

const date = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const TOKYO = siteCalendar('Asia/Tokyo');
const UTC = siteCalendar('UTC');

function apply(profile: Profile, events: CaseEvent[], zone: string, now?: string) {
  const evs = toEvents(events);
  return applyEvents(profile, evs, DEFAULT_SCORING, {
    now: now ? ms(now) : Math.max(...evs.map((e) => e.at)),
    retentionDays: 90,
    calendar: siteCalendar(zone),
  });
}

describe("the site's days", () => {
  it.each(cases.days)('$at is $date in $zone', ({ zone, at, date: want }) => {
    expect(date(siteCalendar(zone).dayOf(ms(at)))).toBe(want);
  });

  it('starts each day at local midnight', () => {
    const day = TOKYO.dayOf(ms('2026-07-01T03:00:00Z'));
    expect(new Date(TOKYO.startOfDay(day)).toISOString()).toBe('2026-06-30T15:00:00.000Z');
    expect(new Date(siteCalendar('Pacific/Honolulu').startOfDay(day)).toISOString()).toBe('2026-07-01T10:00:00.000Z');
  });

  it('knows IANA names and refuses others', () => {
    expect(['UTC', 'Asia/Tokyo', 'America/New_York', 'Europe/London'].every(isTimeZone)).toBe(true);
    expect(['', 'JST+9', 'Mars/Olympus', 'Tokyo'].some(isTimeZone)).toBe(false);
  });

  it('a zone without DST has one offset span; a DST zone two changes a year', () => {
    const [from, to] = [ms('2020-01-01T00:00:00Z'), ms('2026-12-31T00:00:00Z')];
    expect(offsetSpans(TOKYO, from, to)).toEqual([{ from, to: to + 1, offset: 9 * 3_600_000 }]);
    const ny = offsetSpans(siteCalendar('America/New_York'), ms('2026-01-01T00:00:00Z'), ms('2027-01-01T00:00:00Z'));
    expect(ny.map((s) => [new Date(s.from).toISOString(), s.offset / 3_600_000])).toEqual([
      ['2026-01-01T00:00:00.000Z', -5],
      ['2026-03-08T07:00:00.000Z', -4],
      ['2026-11-01T06:00:00.000Z', -5],
    ]);
  });
});

describe('daily caps follow the zone', () => {
  it.each(cases.caps)('$name', ({ zone, events, points }) => {
    expect(apply(emptyProfile(), events as CaseEvent[], zone).applied.map((a) => a.points)).toEqual(points);
  });
});

describe('windows and trends follow the zone', () => {
  it.each(cases.windows)('$name', ({ zone, now, events, condition, expected, actual }) => {
    const profile = apply(emptyProfile(), events as CaseEvent[], zone).profile;
    const c = compileCondition(Condition.parse(condition), { calendar: siteCalendar(zone) });
    const ctx = { traits: {}, profile, now: ms(now), settings: DEFAULT_SCORING_SETTINGS };
    expect(c.test(ctx)).toBe(expected);
    expect(c.explain(ctx).actual).toBe(actual);
  });
});

describe('a change of zone', () => {
  const inquiry = (at: string): CaseEvent => ({ type: 'form_inquiry', at });

  it('tags profiles with their zone; a profile stored before zones is UTC and keeps its keys in Tokyo', () => {
    const utc = apply(emptyProfile(), [{ type: 'login', at: '2026-06-30T20:00:00Z' }], 'UTC').profile;
    expect(utc.zone).toBeUndefined();
    expect(Object.keys(utc.days)).toEqual([String(UTC.dayOf(ms('2026-06-30T20:00:00Z')))]);
    const tokyo = apply(utc, [{ type: 'login', at: '2026-07-01T03:00:00Z' }], 'Asia/Tokyo').profile;
    expect(tokyo.zone).toBe('Asia/Tokyo');
    // UTC June 30 stays June 30 (its middle, 21:00 JST, is on June 30); the new login is Tokyo July 1.
    expect(Object.entries(tokyo.days).map(([d, c]) => [date(Number(d)), c.login])).toEqual([
      ['2026-06-30', 1],
      ['2026-07-01', 1],
    ]);
  });

  it("never lets a day earn more than its cap: a UTC day's ledger counts against both Tokyo days it overlaps", () => {
    // 20:00 UTC June 30 is 05:00 July 1 in Tokyo. Stored in UTC, it earned the day's cap.
    const utc = apply(emptyProfile(), [inquiry('2026-06-30T20:00:00Z')], 'UTC').profile;
    // After the switch, an inquiry at 16:00 UTC June 30 (01:00 July 1 in Tokyo) is the same Tokyo day: capped.
    const late = apply(utc, [inquiry('2026-06-30T16:00:00Z')], 'Asia/Tokyo', '2026-07-01T06:00:00Z');
    expect(late.applied.map((a) => a.points)).toEqual([0]);
    // The price of not knowing the hours: 10:00 UTC June 30 (Tokyo June 30) is capped once too.
    const early = apply(utc, [inquiry('2026-06-30T10:00:00Z')], 'Asia/Tokyo', '2026-07-01T06:00:00Z');
    expect(early.applied.map((a) => a.points)).toEqual([0]);
    // Days recorded after the switch are exact again.
    const next = apply(late.profile, [inquiry('2026-07-01T16:00:00Z')], 'Asia/Tokyo');
    expect(next.applied.map((a) => a.points)).toEqual([50]);
  });

  it('moves capsFrom to the first Tokyo day that starts after the old one', () => {
    const day = UTC.dayOf(ms('2026-06-30T12:00:00Z'));
    const stored: Profile = { ...emptyProfile(), capsFrom: day };
    const moved = apply(stored, [{ type: 'login', at: '2026-07-05T00:00:00Z' }], 'Asia/Tokyo').profile;
    expect(date(moved.capsFrom!)).toBe('2026-07-01');
  });

  it('shifts keys a day when the zones are more than 12 hours apart (Tokyo → New York)', () => {
    const tokyo = apply(emptyProfile(), [{ type: 'login', at: '2026-07-10T01:00:00Z' }], 'Asia/Tokyo').profile;
    expect(Object.keys(tokyo.days).map((d) => date(Number(d)))).toEqual(['2026-07-10']);
    const ny = inZone(tokyo, siteCalendar('America/New_York'));
    // 10:00 July 10 in Tokyo is 21:00 July 9 in New York.
    expect([ny.zone, Object.keys(ny.days).map((d) => date(Number(d)))]).toEqual(['America/New_York', ['2026-07-09']]);
    // Reading does not change the stored profile.
    expect(tokyo.zone).toBe('Asia/Tokyo');
  });

  it('reads a profile not yet written since the change as re-keyed', () => {
    const utc = apply(emptyProfile(), [{ type: 'page_view', props: { category: 'pricing' }, at: '2026-06-20T12:00:00Z' }], 'UTC').profile;
    const now = ms('2026-06-26T20:00:00Z');
    expect(countWithin(utc, 'page_view.category=pricing', 7, now, TOKYO)).toBe(
      countWithin(inZone(utc, TOKYO), 'page_view.category=pricing', 7, now, TOKYO),
    );
    expect(countWithin(utc, 'page_view.category=pricing', 6, now, TOKYO)).toBe(0);
  });

  it('merges profiles from different zones into the site zone', () => {
    const member = apply(emptyProfile(), [{ type: 'login', at: '2026-06-30T20:00:00Z' }], 'UTC').profile;
    const anon = apply(emptyProfile(), [{ type: 'login', at: '2026-07-01T02:00:00Z' }], 'Asia/Tokyo').profile;
    const merged = mergeProfiles(member, anon, DEFAULT_SCORING, ms('2026-07-01T03:00:00Z'), { calendar: TOKYO });
    expect(merged.zone).toBe('Asia/Tokyo');
    expect(Object.entries(merged.days).map(([d, c]) => [date(Number(d)), c.login])).toEqual([
      ['2026-06-30', 1],
      ['2026-07-01', 1],
    ]);
  });
});

describe('the hot path asks Intl once per quarter hour, not per event', () => {
  afterEach(() => vi.restoreAllMocks());
  it('50 events and a segment check in one request: one offset lookup', () => {
    const spy = vi.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts');
    const dhaka = siteCalendar('Asia/Dhaka');
    const at = ms('2026-07-01T03:01:00Z');
    const events = Array.from({ length: 50 }, (_, i) => ({ id: `e${i}`, type: 'page_view' as const, at: at + i * 1000, props: {} }));
    const { profile } = applyEvents(emptyProfile(), events, DEFAULT_SCORING, { now: at + 60_000, retentionDays: 90, calendar: dhaka });
    expect(countWithin(profile, 'page_view', 7, at + 60_000, dhaka)).toBe(50);
    expect(spy).toHaveBeenCalledTimes(1);
  });
});
