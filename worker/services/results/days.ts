/**
 * @module
 * Day numbers of the site's calendar (what `exposures.day` / `conversions.day` store: the day
 * of its time zone, core/zone.ts; UTC days ⌊epoch ms / 86 400 000⌋ when no zone is set) and
 * the traffic rate the "about N more days" projection divides by.
 */
import { UTC_CALENDAR, type SiteCalendar } from '../../core/zone';

import { DAY_MS } from '../../core/types';

export { DAY_MS };

export const dayNumber = (ms: number, calendar: SiteCalendar = UTC_CALENDAR) => calendar.dayOf(ms);

/** `2026-11-20` for a day number: what the chart and the CSV show. */
export const isoDate = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** Shortest "today so far" counted: an hour, so a few minutes of traffic after midnight do not read as a huge daily rate. */
const MIN_TODAY_FRACTION = 1 / 24;

/**
 * New visitors per day at the current traffic: exposures over the last 7 calendar days
 * (fewer if the experiment is younger), divided by the days elapsed, today counting only the
 * part of it that has passed. Unlike averaging the days that have rows, a quiet day counts as
 * a zero, and today's partial count is not read as a full (slow) day.
 * 0 when the experiment gets no new traffic (not running, or nothing in the last 7 days): an
 * explicit 0, because `computeExperimentResults` treats null as "estimate it from the rows",
 * and 0 makes it say "days: unknown" rather than project with stale traffic.
 */
export function visitorsPerDay(
  exposuresByDay: Map<number, number>,
  now: number,
  running: boolean,
  calendar: SiteCalendar = UTC_CALENDAR,
): number {
  if (!running || exposuresByDay.size === 0) return 0;
  const today = calendar.dayOf(now);
  const first = Math.min(...exposuresByDay.keys());
  const from = Math.max(first, today - 6);
  if (from > today) return 0;
  let visitors = 0;
  for (let d = from; d <= today; d++) visitors += exposuresByDay.get(d) ?? 0;
  const elapsed = today - from + Math.max(MIN_TODAY_FRACTION, (now - calendar.startOfDay(today)) / DAY_MS);
  return Math.round((visitors / elapsed) * 10) / 10;
}
