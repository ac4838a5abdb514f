/**
 * @module
 * The site's calendar: which day an instant belongs to in the site's time zone (an IANA name
 * such as `Asia/Tokyo`), for daily caps, behaviour windows, trends, results by day and segment
 * history. A Japanese site's day starts at 00:00 JST (15:00 UTC the day before), not at UTC
 * midnight.
 *
 * Day numbers are local: day `d` is the local date `d` days after 1970-01-01, so
 * `new Date(d * DAY_MS).toISOString().slice(0, 10)` is still its date. For UTC they are the
 * plain `⌊ms / DAY_MS⌋` every earlier version stored.
 *
 * Cost: the zone's offset comes from `Intl.DateTimeFormat` (one formatter per zone), and is
 * cached per quarter hour (the finest step any zone's offset changes by), so a request whose
 * events fall in the same quarter hour asks Intl once, and a warm isolate rarely at all.
 */
import { DAY_MS, type DayNumber, type Millis } from './types';

const QUARTER_HOUR_MS = 15 * 60_000;
/** Cached offsets per calendar; cleared when full (a bulk job over years of history). */
const MAX_CACHED = 4096;

export interface SiteCalendar {
  /** IANA name, e.g. `Asia/Tokyo`; `UTC` by default. */
  readonly timeZone: string;
  /** Milliseconds to add to an instant to get the site's wall-clock time (Tokyo: +9 h). */
  offsetAt(ms: Millis): number;
  /** The site's day of an instant. */
  dayOf(ms: Millis): DayNumber;
  /** The instant the site's day `day` starts (its local midnight). */
  startOfDay(day: DayNumber): Millis;
}

const calendars = new Map<string, SiteCalendar>();

/**
 * Whether `name` is a time zone this runtime knows (IANA names, plus `UTC`).
 * @example isTimeZone('Asia/Tokyo') // true
 * @example isTimeZone('Mars/Olympus') // false
 */
export function isTimeZone(name: string): boolean {
  if (name === 'UTC') return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function offsetReader(timeZone: string): (ms: Millis) => number {
  if (timeZone === 'UTC') return () => 0;
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  return (ms) => {
    const parts: Record<string, number> = {};
    for (const p of format.formatToParts(ms)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
    const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
    // The formatter drops milliseconds; offsets are whole minutes.
    return Math.round((wall - ms) / 60_000) * 60_000;
  };
}

/**
 * The calendar of a time zone (cached per name). An unknown name throws a RangeError: check
 * names with `isTimeZone` where they come in.
 * @example siteCalendar('Asia/Tokyo').dayOf(Date.UTC(2026, 5, 30, 15)) // 20635: already July 1 in Tokyo
 * @example siteCalendar('UTC').dayOf(Date.UTC(2026, 5, 30, 15)) // 20634
 */
export function siteCalendar(timeZone = 'UTC'): SiteCalendar {
  const known = calendars.get(timeZone);
  if (known) return known;
  const read = offsetReader(timeZone);
  const cache = new Map<number, number>();
  const offsetAt = (ms: Millis) => {
    const q = Math.floor(ms / QUARTER_HOUR_MS);
    let off = cache.get(q);
    if (off === undefined) {
      if (cache.size >= MAX_CACHED) cache.clear();
      off = read(q * QUARTER_HOUR_MS);
      cache.set(q, off);
    }
    return off;
  };
  const calendar: SiteCalendar = {
    timeZone,
    offsetAt,
    dayOf: (ms) => Math.floor((ms + offsetAt(ms)) / DAY_MS),
    startOfDay: (day) => {
      const midnight = day * DAY_MS;
      // Local midnight is `midnight − offset`; the offset is the one in force then, which the
      // first guess finds unless a transition lies within the offset of midnight.
      const guess = midnight - offsetAt(midnight);
      return midnight - offsetAt(guess);
    },
  };
  calendars.set(timeZone, calendar);
  return calendar;
}

/** A stretch of time over which a zone's offset does not change: `[from, to)`. */
export interface OffsetSpan {
  from: Millis;
  to: Millis;
  offset: number;
}

/**
 * The zone's offsets over `[from, to]`, as contiguous spans (one for a zone without DST such
 * as Asia/Tokyo; two a year with DST). What lets stored rows be re-dated to a new zone with
 * one SQL update per span. Transitions are found to the minute.
 * @example offsetSpans(siteCalendar('Asia/Tokyo'), t0, t1) // [{from: t0, to: t1 + 1, offset: 32_400_000}]
 */
export function offsetSpans(calendar: SiteCalendar, from: Millis, to: Millis): OffsetSpan[] {
  const spans: OffsetSpan[] = [];
  let start = from;
  let offset = calendar.offsetAt(from);
  let t = from;
  while (t < to) {
    const next = Math.min(to, t + DAY_MS);
    if (calendar.offsetAt(next) !== offset) {
      // The first minute with the new offset, between t and next.
      let lo = t;
      let hi = next;
      while (hi - lo > 60_000) {
        const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
        if (calendar.offsetAt(mid) === offset) lo = mid;
        else hi = mid;
      }
      spans.push({ from: start, to: hi, offset });
      start = hi;
      offset = calendar.offsetAt(hi);
    }
    t = next;
  }
  spans.push({ from: start, to: to + 1, offset });
  return spans;
}

/** The calendar of sites that never set a zone, and of every profile stored before zones. */
export const UTC_CALENDAR: SiteCalendar = siteCalendar('UTC');
