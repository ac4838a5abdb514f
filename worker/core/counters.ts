/**
 * @module
 * The compact behaviour profile's counters (docs/architecture.md#decisions-and-why): per-site-day and lifetime
 * counts per key, so "pricing viewed within 7 days" is a few map lookups instead of a scan of
 * the events table. A key is the event type (`download`) or the type with one prop value
 * (`download.kind=case_study`), matching what a behaviour condition can ask for.
 */
import { dimensionProps, type EventType, type PropMatch } from '../schema/config';
import { inZone } from './rezone';
import type { DayNumber, Millis, NormalizedEvent, Profile } from './types';
import { UTC_CALENDAR, type SiteCalendar } from './zone';

/** Prop values are cut to this length so one odd event cannot bloat the profile row. */
const MAX_VALUE_LENGTH = 100;

/**
 * The site's day number of an instant (UTC unless a calendar is given).
 * @example dayNumber(Date.UTC(1970, 0, 2, 12)) // 1
 * @example dayNumber(Date.UTC(1970, 0, 1, 20), siteCalendar('Asia/Tokyo')) // 1: 05:00 on Jan 2 in Tokyo
 */
export function dayNumber(ms: Millis, calendar: SiteCalendar = UTC_CALENDAR): DayNumber {
  return calendar.dayOf(ms);
}

function dimensionValue(value: unknown): string | null {
  if (typeof value === 'string' && value.length > 0) return value.slice(0, MAX_VALUE_LENGTH);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/**
 * Every counter an event increments: its type, plus one key per dimension prop it carries.
 * @example counterKeys({id: 'e1', type: 'download', at: 0, props: {asset: 'wp.pdf', kind: 'whitepaper'}})
 *   // ['download', 'download.kind=whitepaper', 'download.asset=wp.pdf']
 */
export function counterKeys(event: NormalizedEvent): string[] {
  const keys = [event.type as string];
  for (const prop of dimensionProps) {
    const value = dimensionValue(event.props[prop]);
    if (value !== null) keys.push(`${event.type}.${prop}=${value}`);
  }
  return keys;
}

/**
 * Whether a counter key is per prop value (`download.asset=wp.pdf`) rather than a type counter
 * (`download`). Event types never contain `=`, so the test is exact.
 * @example isValueKey('download.kind=whitepaper') // true
 */
export function isValueKey(key: string): boolean {
  return key.includes('=');
}

/**
 * The counter a behaviour condition reads. `where` holds at most one prop (the schema refuses
 * more), because the profile does not count combinations of props.
 * @example counterKey('page_view', {category: 'pricing'}) // 'page_view.category=pricing'
 */
export function counterKey(type: EventType, where: PropMatch = {}): string {
  const entry = Object.entries(where).find(([, v]) => typeof v === 'string' && v.length > 0);
  if (!entry) return type;
  return `${type}.${entry[0]}=${String(entry[1]).slice(0, MAX_VALUE_LENGTH)}`;
}

/**
 * How often `key` happened within the last `withinDays` days of the site's calendar, today
 * included: days (today − N, today]. A bucket dated slightly after today (a browser clock a few
 * minutes ahead across midnight) is counted too, since it is recent by any reading. `null` = all
 * time. A profile keyed in another zone is read as re-keyed into this one (core/rezone.ts).
 * @example countWithin(profile, 'page_view.category=pricing', 7, now, calendar) // 3
 */
export function countWithin(
  profile: Profile,
  key: string,
  withinDays: number | null,
  now: Millis,
  calendar: SiteCalendar = UTC_CALENDAR,
): number {
  if (withinDays === null) return profile.totals[key] ?? 0;
  return countAfter(inZone(profile, calendar).days, key, calendar.dayOf(now) - withinDays);
}

/**
 * Per-key running sums over a profile's day buckets, built once per `days` object and key, so
 * every window (a behaviour condition, both periods of a trend, a model's features) is two
 * binary searches instead of a walk over every bucket — with 50 segments reading 60 days of
 * history, the difference between 3 000 steps a request and a few hundred. A profile's `days`
 * object is never changed once built (applying events, merging and re-keying make new ones),
 * which is what makes it safe to key the cache by it.
 */
interface DayIndex {
  /** Day numbers, ascending. */
  days: number[];
  buckets: Record<string, number>[];
  sums: Map<string, Float64Array>;
}

const indexes = new WeakMap<Profile['days'], DayIndex>();

function indexOf(days: Profile['days']): DayIndex {
  let index = indexes.get(days);
  if (!index) {
    const entries = Object.entries(days)
      .map(([d, counts]) => [Number(d), counts] as const)
      .sort((a, b) => a[0] - b[0]);
    index = { days: entries.map((e) => e[0]), buckets: entries.map((e) => e[1]), sums: new Map() };
    indexes.set(days, index);
  }
  return index;
}

/** Running sums of `key` over the index's days (sums[i] = days[0..i]). */
function sumsOf(index: DayIndex, key: string): Float64Array {
  let sums = index.sums.get(key);
  if (!sums) {
    sums = new Float64Array(index.days.length);
    let total = 0;
    index.buckets.forEach((counts, i) => {
      total += Object.hasOwn(counts, key) ? counts[key]! : 0;
      sums![i] = total;
    });
    index.sums.set(key, sums);
  }
  return sums;
}

/** Index of the last day ≤ `day` (−1 when none). */
function lastAtOrBefore(days: number[], day: number): number {
  let lo = 0;
  let hi = days.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (days[mid]! <= day) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** How often `key` happened on days after `day` (buckets dated after today included). */
function countAfter(days: Profile['days'], key: string, day: number): number {
  const index = indexOf(days);
  if (index.days.length === 0) return 0;
  const sums = sumsOf(index, key);
  const i = lastAtOrBefore(index.days, day);
  return sums[sums.length - 1]! - (i < 0 ? 0 : sums[i]!);
}

/**
 * The two periods a trend compares, from the running sums: `current` counts the last
 * `days` days, today included — days (today − N, today], as `countWithin` — and `previous` the
 * `days` days before them, (today − 2N, today − N]. A bucket dated after today counts as current.
 * @example trendCounts(profile, 'login', 30, now) // {current: 2, previous: 9}
 */
export function trendCounts(
  profile: Profile,
  key: string,
  days: number,
  now: Millis,
  calendar: SiteCalendar = UTC_CALENDAR,
): { current: number; previous: number } {
  const today = calendar.dayOf(now);
  const buckets = inZone(profile, calendar).days;
  const current = countAfter(buckets, key, today - days);
  return { current, previous: countAfter(buckets, key, today - 2 * days) - current };
}

/**
 * Drops day buckets that no window of `retentionDays` can read any more. Returns a new object.
 * @example pruneDays({'100': {a: 1}, '200': {a: 2}}, 200, 90) // {'200': {a: 2}}
 */
export function pruneDays(days: Profile['days'], today: DayNumber, retentionDays: number): Profile['days'] {
  const oldestExcluded = today - retentionDays;
  const kept: Profile['days'] = {};
  for (const [day, counts] of Object.entries(days)) {
    if (Number(day) > oldestExcluded) kept[day] = counts;
  }
  return kept;
}
