/**
 * @module
 * Segment history in pure functions: one day's tally (sizes, entries, exits) from each
 * profile's segment before and after, a profile replayed day by day from its events (the
 * backfill), and the outlook a marketer needs before testing on a segment: is it big enough
 * for an experiment to conclude within 28 days at the current traffic?
 */
import type { CompiledConfig } from './compile';
import { countWithin } from './counters';
import { applyEvents, emptyProfile } from './profile';
import { inZone } from './rezone';
import { resolveSegment } from './segments';
import { requiredVisitorsPerArm, DEFAULT_UPLIFT } from './stats/sampleSize';
import { DAY_MS, type DayNumber, type Millis, type NormalizedEvent, type Profile } from './types';
import type { Traits } from '../schema/config';

/** One profile at one count. */
export interface SubjectDay {
  /** Segment at the previous count (null: none, or not seen before). */
  previous: string | null;
  /** Segment now (null: none). */
  current: string | null;
  /** Had an event on the counted day. */
  active: boolean;
  /** Active within the last 28 days. */
  reach28: boolean;
  /** Did the goal event within the last 30 days. */
  converter: boolean;
}

export interface SegmentDayCount {
  segment: string;
  size: number;
  entered: number;
  exited: number;
  active: number;
  reach28: number;
  converters: number;
}

/** The event a segment's conversion rate is estimated from (the contract's usual experiment goal). */
export const GOAL_EVENT = 'form_inquiry';
/** How far back "reach" looks: the experiment horizon. */
export const HORIZON_DAYS = 28;

/**
 * Adds profiles one at a time (a count streams through thousands) and returns every segment's
 * counts, zeros included, in the order given.
 * @example const t = tally(['hot_lead']); t.add({previous: null, current: 'hot_lead', active: true, reach28: true, converter: false}); t.result()[0].entered // 1
 */
export function tally(segments: readonly string[]) {
  const counts = new Map<string, SegmentDayCount>(
    segments.map((segment) => [segment, { segment, size: 0, entered: 0, exited: 0, active: 0, reach28: 0, converters: 0 }]),
  );
  return {
    add(s: SubjectDay): void {
      const now = s.current === null ? undefined : counts.get(s.current);
      if (now) {
        now.size++;
        if (s.active) now.active++;
        if (s.reach28) now.reach28++;
        if (s.converter) now.converters++;
      }
      if (s.previous === s.current) return;
      if (now) now.entered++;
      const before = s.previous === null ? undefined : counts.get(s.previous);
      if (before) before.exited++;
    },
    result: (): SegmentDayCount[] => [...counts.values()],
  };
}

/**
 * What one profile contributes to the count of `day` (evaluated at `now`): its segment, and
 * whether it was active that day, within the horizon, and converted within 30 days.
 */
export function subjectDay(
  config: CompiledConfig,
  traits: Traits,
  profile: Profile,
  previous: string | null,
  day: DayNumber,
  now: Millis,
): SubjectDay {
  const settings = config.source.scoring.settings;
  const current = resolveSegment(config.segments, { traits, profile, now, settings })?.key ?? null;
  const last = profile.lastActiveAt;
  const dayStart = config.calendar.startOfDay(day);
  const dayEnd = config.calendar.startOfDay(day + 1);
  return {
    previous,
    current,
    // Active that day: an event dated in it (its day bucket), or the last activity inside it
    // (a profile trimmed for size may have lost the bucket).
    active: Object.hasOwn(inZone(profile, config.calendar).days, String(day)) || (last !== null && last >= dayStart && last < dayEnd),
    reach28: last !== null && last > now - HORIZON_DAYS * DAY_MS,
    converter: countWithin(profile, GOAL_EVENT, 30, now, config.calendar) > 0,
  };
}

/**
 * Replays one profile's events day by day (the backfill): for each day in `days` (ascending),
 * the profile as of that day's end, its segment then, and the same facts a daily count records.
 * Traits are today's (their history is not kept). Events after the last day are ignored.
 */
export function replayDays(
  config: CompiledConfig,
  traits: Traits,
  events: NormalizedEvent[],
  days: DayNumber[],
): Omit<SubjectDay, 'previous'>[] {
  const ordered = [...events].sort((a, b) => a.at - b.at);
  const out: Omit<SubjectDay, 'previous'>[] = [];
  let profile = emptyProfile();
  let next = 0;
  for (const day of days) {
    const end = config.calendar.startOfDay(day + 1) - 1;
    const batch: NormalizedEvent[] = [];
    while (next < ordered.length && ordered[next]!.at <= end) batch.push(ordered[next++]!);
    if (batch.length) {
      ({ profile } = applyEvents(profile, batch, config.source.scoring, {
        now: end,
        retentionDays: config.retentionDays,
        countedKeys: config.countedKeys,
        calendar: config.calendar,
      }));
    }
    const s = subjectDay(config, traits, profile, null, day, end);
    out.push({ current: s.current, active: batch.length > 0, reach28: s.reach28, converter: s.converter });
  }
  return out;
}

/** Whether a segment can carry an experiment within the horizon at its current traffic. */
export interface ExperimentOutlook {
  /** Distinct profiles of the segment active in the last 28 days: whom a test would reach. */
  reach28: number;
  /** Goal conversion rate the estimate assumes (the segment's own 30-day rate, else 5 %). */
  baselineCvr: number;
  /** Visitors per arm to detect a 20 % relative uplift (80 % power, α = 0.05, two-sided). */
  requiredPerArm: number;
  arms: number;
  /** Days to reach `arms × requiredPerArm` at the current reach (null: no traffic at all). */
  daysNeeded: number | null;
  /** True when the experiment could not conclude within 28 days. */
  tooSmall: boolean;
}

/** The rate assumed when a segment has no conversions to go by. */
export const DEFAULT_BASELINE_CVR = 0.05;

/**
 * From the latest count of a segment. The conversion rate is the segment's own (profiles with
 * an inquiry in 30 days over those active in 28), kept between 0.5 % and 50 % so one lucky day
 * does not promise a quick test, and 5 % when it has nothing to go by.
 * @example experimentOutlook({size: 400, reach28: 300, converters: 15, …}).tooSmall // true: 2 × 8 158 needed, 300 reachable
 */
export function experimentOutlook(
  latest: Pick<SegmentDayCount, 'reach28' | 'converters'> | null,
  arms = 2,
  uplift = DEFAULT_UPLIFT,
): ExperimentOutlook {
  const reach = latest?.reach28 ?? 0;
  const observed = latest && reach > 0 && latest.converters > 0 ? latest.converters / reach : null;
  const baselineCvr = observed === null ? DEFAULT_BASELINE_CVR : Math.min(0.5, Math.max(0.005, observed));
  const requiredPerArm = requiredVisitorsPerArm(baselineCvr, uplift) ?? 0;
  const needed = arms * requiredPerArm;
  const daysNeeded = reach > 0 ? Math.ceil((needed / reach) * HORIZON_DAYS) : null;
  return { reach28: reach, baselineCvr, requiredPerArm, arms, daysNeeded, tooSmall: daysNeeded === null || daysNeeded > HORIZON_DAYS };
}
