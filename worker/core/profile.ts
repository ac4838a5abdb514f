/**
 * @module
 * The visitor/member profile as a value: apply events to it (score, daily caps, visits,
 * counters), read its current score and "days since previous activity", and merge an
 * anonymous profile into a member's on identify. Pure: inputs are never mutated.
 */
import type { ScoringRule, ScoringSettings } from '../schema/config';
import { counterKeys, dayNumber, pruneDays } from './counters';
import { decayedScore, matchingRules, wholeDays } from './scoring';
import { VISIT_GAP_MS, type DayNumber, type Millis, type NormalizedEvent, type Profile } from './types';

/** What one event did to the score; the worker stores it with the event for the admin. */
export interface AppliedEvent {
  eventId: string;
  at: Millis;
  /** Points the event added to the stored score (after caps, and after the late-event discount). */
  points: number;
  /** Points granted per matching rule after daily caps (a capped rule shows 0). */
  breakdown: { ruleId: string; points: number }[];
  /** The stored score (value at `lastActiveAt`) after this event. */
  scoreAfter: number;
}

export interface ScoringConfig {
  rules: ScoringRule[];
  settings: ScoringSettings;
}

/**
 * A profile with no history.
 * @example emptyProfile().score // 0
 */
export function emptyProfile(): Profile {
  return {
    score: 0,
    lastActiveAt: null,
    visitStartedAt: null,
    prevActiveAt: null,
    days: {},
    totals: {},
    capDay: null,
    capPoints: {},
    exposures: {},
    converted: [],
  };
}

/** Profiles are plain JSON (they live in one JSON column), so a structured clone is exact. */
function copy(profile: Profile): Profile {
  return structuredClone(profile);
}

/**
 * The ledger of capped points for the event's UTC day. The profile keeps only the latest
 * day's ledger (older days can no longer gain browser events); an event dated on an earlier
 * day (a server import) is capped against a ledger that lives for this batch only.
 */
function ledgerFor(profile: Profile, day: DayNumber, older: Map<DayNumber, Record<string, number>>) {
  if (profile.capDay === null || day > profile.capDay) {
    profile.capDay = day;
    profile.capPoints = {};
  }
  if (day === profile.capDay) return profile.capPoints;
  let ledger = older.get(day);
  if (!ledger) older.set(day, (ledger = {}));
  return ledger;
}

/** Points a rule may still add today; caps bound what a rule *adds*, so negative rules pass. */
function grant(rule: ScoringRule, ledger: Record<string, number>): number {
  if (rule.dailyCap === null || rule.dailyCap === undefined || rule.points <= 0) return rule.points;
  const used = ledger[rule.id] ?? 0;
  const granted = Math.max(0, Math.min(rule.points, rule.dailyCap - used));
  ledger[rule.id] = used + granted;
  return granted;
}

/**
 * Applies events to a profile, in `at` order (stable for equal times).
 *
 * - An event at or after the last activity decays the score to its own time, then adds its
 *   points, and becomes the last activity.
 * - A late event (before the last activity, e.g. a server import of last month's seminar)
 *   adds its points minus the decay they would have suffered since then, and does not move
 *   `lastActiveAt`: the stored score stays "the value at the last activity" and the visit
 *   being tracked stays the real latest one. If it falls before the current visit and after
 *   the recorded previous activity, it becomes the previous activity.
 * - Each rule adds at most its `dailyCap` per UTC day of the event.
 * - A gap longer than VISIT_GAP_MS starts a new visit, remembering the activity before it.
 *
 * @example
 * const {profile, applied} = applyEvents(emptyProfile(), [
 *   {id: 'e1', type: 'page_view', at: now, props: {category: 'pricing'}},
 * ], {rules: DEFAULT_SCORING_RULES, settings: DEFAULT_SCORING_SETTINGS}, {now, retentionDays: 90});
 * profile.score // 4
 */
export function applyEvents(
  profile: Profile,
  events: NormalizedEvent[],
  scoring: ScoringConfig,
  opts: { now: Millis; retentionDays: number },
): { profile: Profile; applied: AppliedEvent[] } {
  const next = copy(profile);
  const decay = scoring.settings.decayPerDay;
  const olderLedgers = new Map<DayNumber, Record<string, number>>();
  const applied: AppliedEvent[] = [];
  // Array.prototype.sort is stable, so events with equal times keep their batch order.
  const ordered = [...events].sort((a, b) => a.at - b.at);

  for (const event of ordered) {
    const day = dayNumber(event.at);
    const ledger = ledgerFor(next, day, olderLedgers);
    const breakdown = matchingRules(event, scoring.rules).map((rule) => ({
      ruleId: rule.id,
      points: grant(rule, ledger),
    }));
    const gross = breakdown.reduce((sum, b) => sum + b.points, 0);
    const last = next.lastActiveAt;
    let points: number;

    if (last !== null && event.at < last) {
      points = gross > 0 ? Math.max(0, gross - wholeDays(last - event.at) * decay) : gross;
      next.score = Math.max(0, next.score + points);
      if (
        next.visitStartedAt !== null &&
        event.at < next.visitStartedAt &&
        (next.prevActiveAt === null || event.at > next.prevActiveAt)
      ) {
        next.prevActiveAt = event.at;
      }
    } else {
      if (last === null || event.at - last > VISIT_GAP_MS) {
        next.prevActiveAt = last;
        next.visitStartedAt = event.at;
      }
      points = gross;
      next.score = Math.max(0, decayedScore(next.score, last, event.at, decay) + gross);
      next.lastActiveAt = event.at;
    }

    const bucket = (next.days[String(day)] ??= {});
    for (const key of counterKeys(event)) {
      bucket[key] = (bucket[key] ?? 0) + 1;
      next.totals[key] = (next.totals[key] ?? 0) + 1;
    }
    applied.push({ eventId: event.id, at: event.at, points, breakdown, scoreAfter: next.score });
  }

  next.days = pruneDays(next.days, dayNumber(opts.now), opts.retentionDays);
  return { profile: next, applied };
}

/**
 * The score as of `now`, decay applied.
 * @example currentScore({...emptyProfile(), score: 50, lastActiveAt: now - 10 * DAY_MS}, DEFAULT_SCORING_SETTINGS, now) // 40
 */
export function currentScore(profile: Profile, settings: ScoringSettings, now: Millis): number {
  return decayedScore(profile.score, profile.lastActiveAt, now, settings.decayPerDay);
}

/**
 * Whole days since the activity *before* the visit `now` belongs to (CONTRACT §5), so a
 * dormant member who comes back is still dormant for that whole visit. If the profile's
 * latest visit is still going at `now`, that is `prevActiveAt`; otherwise `now` opens a new
 * visit that has not recorded an event yet, and the previous activity is `lastActiveAt`.
 * `null` when there was no such activity (a first visit).
 * @example daysSincePreviousActivity({...p, lastActiveAt: now, prevActiveAt: now - 120 * DAY_MS}, now) // 120
 */
export function daysSincePreviousActivity(profile: Profile, now: Millis): number | null {
  if (profile.lastActiveAt === null) return null;
  const visitOngoing = now - profile.lastActiveAt <= VISIT_GAP_MS;
  const previous = visitOngoing ? profile.prevActiveAt : profile.lastActiveAt;
  return previous === null ? null : wholeDays(now - previous);
}

function laterOf(a: Millis | null, b: Millis | null): Millis | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

function sumCounts(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}

/**
 * Joins an anonymous visitor's history to a member's (on identify).
 *
 * Both scores are decayed to the later of the two last activities and summed, with that
 * activity as the merged `lastActiveAt`; decaying to `now` instead would decay the sum a
 * second time when it is read. Counters are summed; exposures keep the earliest per
 * experiment; conversions are unioned; today's cap ledgers add up. The visit is the one of
 * the profile active last, and the other's activity before that visit counts as previous
 * activity, so a dormant member who browses anonymously and then logs in stays dormant.
 *
 * @example mergeProfiles(member, anon, DEFAULT_SCORING_SETTINGS, now).score
 */
export function mergeProfiles(member: Profile, anon: Profile, settings: ScoringSettings, now: Millis): Profile {
  const lastActiveAt = laterOf(member.lastActiveAt, anon.lastActiveAt);
  // The reference time for decay: the later activity, or now when neither was ever active.
  const at = lastActiveAt ?? now;
  const score =
    decayedScore(member.score, member.lastActiveAt, at, settings.decayPerDay) +
    decayedScore(anon.score, anon.lastActiveAt, at, settings.decayPerDay);

  const days: Profile['days'] = {};
  for (const source of [member.days, anon.days]) {
    for (const [day, counts] of Object.entries(source)) days[day] = sumCounts(days[day] ?? {}, counts);
  }

  const exposures = structuredClone(member.exposures);
  for (const [experiment, exposure] of Object.entries(anon.exposures)) {
    const mine = exposures[experiment];
    if (!mine || exposure.at < mine.at) exposures[experiment] = { ...exposure };
  }

  let capDay = member.capDay;
  let capPoints = { ...member.capPoints };
  if (anon.capDay !== null && (capDay === null || anon.capDay > capDay)) {
    capDay = anon.capDay;
    capPoints = { ...anon.capPoints };
  } else if (anon.capDay !== null && anon.capDay === capDay) {
    capPoints = sumCounts(capPoints, anon.capPoints);
  }

  // Visit fields: from whichever was active last; the other's activity joins its visit if it
  // was within the visit gap, or else may be the previous activity.
  const memberLast = member.lastActiveAt ?? -Infinity;
  const anonLast = anon.lastActiveAt ?? -Infinity;
  const [latest, other] = anonLast > memberLast ? [anon, member] : [member, anon];
  let visitStartedAt = latest.visitStartedAt;
  let prevActiveAt = latest.prevActiveAt;
  if (other.lastActiveAt !== null && visitStartedAt !== null) {
    if (other.lastActiveAt >= visitStartedAt - VISIT_GAP_MS) {
      visitStartedAt = Math.min(visitStartedAt, other.visitStartedAt ?? visitStartedAt);
      const start = visitStartedAt;
      prevActiveAt = [latest.prevActiveAt, other.prevActiveAt]
        .filter((t): t is Millis => t !== null && t < start)
        .reduce<Millis | null>((a, b) => laterOf(a, b), null);
    } else {
      prevActiveAt = laterOf(prevActiveAt, other.lastActiveAt);
    }
  }

  return {
    score,
    lastActiveAt,
    visitStartedAt,
    prevActiveAt,
    days,
    totals: sumCounts(member.totals, anon.totals),
    capDay,
    capPoints,
    exposures,
    converted: [...new Set([...member.converted, ...anon.converted])],
  };
}
