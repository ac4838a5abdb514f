/**
 * @module
 * The visitor/member profile as a value: apply events to it (score, daily caps, visits,
 * counters), read its current score and "days since previous activity", and merge an
 * anonymous profile into a member's on identify. Pure: inputs are never mutated.
 */
import type { ScoringRule, ScoringSettings } from '../schema/config';
import { counterKeys, isValueKey } from './counters';
import { rezoneInPlace } from './rezone';
import { decayedScore, matchingRules, wholeDays } from './scoring';
import { VISIT_GAP_MS, type DayNumber, type Millis, type NormalizedEvent, type Profile } from './types';
import { UTC_CALENDAR, type SiteCalendar } from './zone';

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
 * Hard ceiling on a stored profile (UTF-8 bytes of its JSON): a profile is one D1 column read
 * and written on every request, so whatever a page sends it must stay small.
 */
export const MAX_PROFILE_BYTES = 64 * 1024;

/**
 * Room left under MAX_PROFILE_BYTES when scoring trims a profile: the same request may still
 * record exposures (up to 20 slots) and conversions on it before it is written.
 */
const RESERVED_BYTES = 8 * 1024;

export interface ApplyOptions {
  now: Millis;
  /** Days of daily counters (and cap ledgers) to keep. */
  retentionDays: number;
  /**
   * Per-value counter keys worth keeping (`compileConfig(...).countedKeys`). Other per-value
   * counters are neither counted nor kept; type counters always are. Absent: keep every key.
   */
  countedKeys?: ReadonlySet<string>;
  /**
   * The site's calendar: day buckets, cap ledgers and pruning use its days (default UTC). A
   * profile keyed in another zone is re-keyed first (core/rezone.ts).
   */
  calendar?: SiteCalendar;
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
    caps: {},
    capsFrom: null,
    exposures: {},
    converted: [],
  };
}

/**
 * Profiles are plain JSON (they live in one JSON column), so a walk over objects and arrays is an
 * exact copy — and, on every decide, cheaper than `structuredClone`'s serialize and rebuild.
 */
function copy<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copy) as T;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = copy((value as Record<string, unknown>)[key]);
    // A key such as `__proto__` (from JSON.parse) stays an own property, as it was.
    if (key === '__proto__') Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true });
    else out[key] = item;
  }
  return out as T;
}

function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** The later of two instants (or day numbers), `null` meaning "never". */
function laterOf(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

/**
 * Moves the one-day ledger of a profile stored by an earlier version into `caps` (in place,
 * on a copy). That ledger is all that is known: earlier days may have earned capped points
 * that were never recorded, so the ledger counts as complete only from `capDay` on.
 */
function upgradeLedger(p: Profile): void {
  p.caps ??= {};
  p.capsFrom ??= null;
  if (typeof p.capDay === 'number') {
    const day = String(p.capDay);
    const ledger = { ...(own(p.caps, day) ?? {}) };
    for (const [rule, points] of Object.entries(p.capPoints ?? {})) ledger[rule] = (own(ledger, rule) ?? 0) + points;
    if (Object.keys(ledger).length) p.caps[day] = ledger;
    p.capsFrom = laterOf(p.capsFrom, p.capDay);
  }
  delete p.capDay;
  delete p.capPoints;
}

/**
 * Points a rule may still add on `day`; caps bound what a rule *adds*, so negative rules pass.
 * A day before `capsFrom` has lost its ledger: what it already earned is unknown, so a capped
 * rule adds nothing there rather than risk a second cap's worth.
 */
function grant(rule: ScoringRule, profile: Profile, day: DayNumber): number {
  if (rule.dailyCap === null || rule.dailyCap === undefined || rule.points <= 0) return rule.points;
  if (profile.capsFrom !== null && day < profile.capsFrom) return 0;
  const key = String(day);
  const ledger = own(profile.caps, key) ?? {};
  const used = own(ledger, rule.id) ?? 0;
  const granted = Math.max(0, Math.min(rule.points, rule.dailyCap - used));
  if (granted > 0) {
    ledger[rule.id] = used + granted;
    profile.caps[key] = ledger;
  }
  return granted;
}

/**
 * Drops day buckets and cap ledgers that no window of `retentionDays` reads any more (in
 * place). Dropping a ledger moves `capsFrom` past it.
 */
function pruneHistory(p: Profile, today: DayNumber, retentionDays: number): void {
  const oldestExcluded = today - retentionDays;
  const days: Profile['days'] = {};
  for (const [day, counts] of Object.entries(p.days)) if (Number(day) > oldestExcluded) days[day] = counts;
  p.days = days;
  const caps: Profile['caps'] = {};
  for (const [day, ledger] of Object.entries(p.caps)) {
    if (Number(day) > oldestExcluded) caps[day] = ledger;
    else p.capsFrom = laterOf(p.capsFrom, Number(day) + 1);
  }
  p.caps = caps;
}

/** Removes per-value counters the configuration does not read (in place). */
function dropUncounted(p: Profile, counted: ReadonlySet<string>): void {
  const keep = (counts: Record<string, number>) => {
    const out: Record<string, number> = {};
    for (const [key, n] of Object.entries(counts)) if (!isValueKey(key) || counted.has(key)) out[key] = n;
    return out;
  };
  p.totals = keep(p.totals);
  const days: Profile['days'] = {};
  for (const [day, counts] of Object.entries(p.days)) days[day] = keep(counts);
  p.days = days;
}

const encoder = new TextEncoder();
const bytesOf = (value: unknown) => encoder.encode(JSON.stringify(value)).length;
/** What removing `"key":value,` from a JSON object saves (one byte too many for a last entry). */
const entryBytes = (key: string, value: unknown) => bytesOf(key) + bytesOf(value) + 2;

/**
 * Trims a profile (in place) until its JSON fits `budget` bytes: first the oldest day buckets
 * with their cap ledgers (the latest day last), then counters, least useful first (per-value
 * counters the configuration does not read, then the rarest per-value counters, then type
 * counters). Score, visit, exposures and conversions are never dropped: they are small and
 * decisions depend on them.
 */
function fitProfile(p: Profile, budget: number, counted: ReadonlySet<string> | undefined): void {
  const json = JSON.stringify(p);
  // A UTF-16 unit is at most 3 UTF-8 bytes: most profiles are measured without encoding them.
  if (json.length * 3 <= budget) return;
  let size = encoder.encode(json).length;
  if (size <= budget) return;
  // Each step removes something and returns about how many bytes that saved (never less than
  // it did, give or take a comma), so the exact size is only re-measured near the budget.
  const steps: (() => number)[] = [];

  const dropDay = (day: string) => () => {
    let saved = 0;
    if (Object.hasOwn(p.days, day)) {
      saved += entryBytes(day, p.days[day]);
      delete p.days[day];
    }
    if (Object.hasOwn(p.caps, day)) {
      saved += entryBytes(day, p.caps[day]);
      delete p.caps[day];
      p.capsFrom = laterOf(p.capsFrom, Number(day) + 1);
    }
    return saved;
  };
  const dayKeys = [...new Set([...Object.keys(p.days), ...Object.keys(p.caps)])].sort((x, y) => Number(x) - Number(y));
  for (const day of dayKeys.slice(0, -1)) steps.push(dropDay(day));

  const rank = (key: string) => (!isValueKey(key) ? 2 : counted && !counted.has(key) ? 0 : 1);
  const keys = new Set(Object.keys(p.totals));
  for (const counts of Object.values(p.days)) for (const key of Object.keys(counts)) keys.add(key);
  const byUse = [...keys].sort((x, y) => rank(x) - rank(y) || (own(p.totals, x) ?? 0) - (own(p.totals, y) ?? 0) || y.length - x.length);
  for (const key of byUse) {
    steps.push(() => {
      let saved = 0;
      for (const counts of [p.totals, ...Object.values(p.days)]) {
        if (!Object.hasOwn(counts, key)) continue;
        saved += entryBytes(key, counts[key]);
        delete counts[key];
      }
      return saved;
    });
  }
  const latest = dayKeys.at(-1);
  if (latest !== undefined) steps.push(dropDay(latest));

  for (const step of steps) {
    size -= step();
    if (size <= budget) {
      size = bytesOf(p);
      if (size <= budget) return;
    }
  }
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
 * - Each rule adds at most its `dailyCap` per site day of the event, across batches: the
 *   profile keeps a ledger per event day for the retention window. An event dated before the
 *   oldest ledger kept (`capsFrom`, e.g. a server import older than the window) gets no points
 *   from capped rules, since what its day already earned is no longer known; uncapped rules
 *   still score it.
 * - Per-value counters are kept only for `opts.countedKeys` when given, and the result never
 *   exceeds MAX_PROFILE_BYTES as JSON (oldest days, then least useful counters, are dropped).
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
  opts: ApplyOptions,
): { profile: Profile; applied: AppliedEvent[] } {
  const calendar = opts.calendar ?? UTC_CALENDAR;
  const next = copy(profile);
  upgradeLedger(next);
  rezoneInPlace(next, calendar);
  const decay = scoring.settings.decayPerDay;
  const counted = opts.countedKeys;
  const applied: AppliedEvent[] = [];
  // Array.prototype.sort is stable, so events with equal times keep their batch order.
  const ordered = [...events].sort((a, b) => a.at - b.at);

  for (const event of ordered) {
    const day = calendar.dayOf(event.at);
    const breakdown = matchingRules(event, scoring.rules).map((rule) => ({
      ruleId: rule.id,
      points: grant(rule, next, day),
    }));
    const gross = breakdown.reduce((sum, b) => sum + b.points, 0);
    const last = next.lastActiveAt;
    let points: number;

    if (last !== null && event.at < last) {
      points = gross > 0 ? Math.max(0, gross - wholeDays(last - event.at) * decay) : gross;
      next.score = Math.max(0, next.score + points);
      if (next.visitStartedAt !== null && event.at < next.visitStartedAt && (next.prevActiveAt === null || event.at > next.prevActiveAt)) {
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
      if (counted && isValueKey(key) && !counted.has(key)) continue;
      bucket[key] = (own(bucket, key) ?? 0) + 1;
      next.totals[key] = (own(next.totals, key) ?? 0) + 1;
    }
    applied.push({ eventId: event.id, at: event.at, points, breakdown, scoreAfter: next.score });
  }

  pruneHistory(next, calendar.dayOf(opts.now), opts.retentionDays);
  if (counted) dropUncounted(next, counted);
  fitProfile(next, MAX_PROFILE_BYTES - RESERVED_BYTES, counted);
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
 * Whole days since the activity *before* the visit `now` belongs to (docs/api.md#segments-and-experiments), so a
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

function sumCounts(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (own(out, k) ?? 0) + v;
  return out;
}

/**
 * The merged cap ledger, and how many points the merged score must give back so that no
 * rule keeps more than its cap on any day. Per day and rule, the two profiles' points add up
 * and whatever passes the cap is excess. A profile that no longer knows the day (before its
 * `capsFrom`) counts as having used the whole cap, as it would for a late event on that day,
 * so what the other profile earned there is excess. Merging never takes back what a single
 * profile earned alone (a cap lowered since is not applied backwards, as in `applyEvents`).
 * Excess is given back the way a late event's points are added: minus the decay since its
 * day. The end of the day stands in for the event's time, which is not kept; that never gives
 * back less than what remains, so the merged score never holds more than a cap's worth a day.
 */
function mergeCaps(
  member: Profile,
  anon: Profile,
  scoring: ScoringConfig,
  at: Millis,
  calendar: SiteCalendar,
): { caps: Profile['caps']; capsFrom: DayNumber | null; excess: number } {
  const capsFrom = laterOf(member.capsFrom, anon.capsFrom);
  const capOf = new Map<string, number>();
  for (const rule of scoring.rules) {
    if (rule.dailyCap !== null && rule.dailyCap !== undefined && !capOf.has(rule.id)) capOf.set(rule.id, rule.dailyCap);
  }
  const caps: Profile['caps'] = {};
  let excess = 0;
  for (const day of new Set([...Object.keys(member.caps), ...Object.keys(anon.caps)])) {
    const d = Number(day);
    const sides = [member, anon].map((p) => ({
      known: p.capsFrom === null || d >= p.capsFrom,
      ledger: own(p.caps, day) ?? {},
    }));
    const ledger: Record<string, number> = {};
    for (const rule of new Set(sides.flatMap((side) => Object.keys(side.ledger)))) {
      const cap = capOf.get(rule);
      if (cap === undefined) {
        // No cap (any more) for this rule: nothing to take back, the ledger just adds up.
        ledger[rule] = sides.reduce((sum, side) => sum + (own(side.ledger, rule) ?? 0), 0);
        continue;
      }
      const perSide = sides.map((side) => (side.known ? (own(side.ledger, rule) ?? 0) : cap));
      const used = perSide[0]! + perSide[1]!;
      const kept = Math.min(used, Math.max(cap, ...perSide));
      const over = used - kept;
      if (over > 0) excess += Math.max(0, over - wholeDays(at - calendar.startOfDay(d + 1)) * scoring.settings.decayPerDay);
      if (kept > 0) ledger[rule] = kept;
    }
    if ((capsFrom === null || d >= capsFrom) && Object.keys(ledger).length) caps[day] = ledger;
  }
  return { caps, capsFrom, excess };
}

/**
 * Joins an anonymous visitor's history to a member's (on identify).
 *
 * Both scores are decayed to the later of the two last activities and summed, with that
 * activity as the merged `lastActiveAt`; decaying to `now` instead would decay the sum a
 * second time when it is read. Counters are summed; exposures keep the earliest per
 * experiment; conversions are unioned. Cap ledgers add up per day, and points that two
 * profiles earned from one rule on one day beyond its daily cap are taken back (see
 * `mergeCaps`), so logging in never multiplies a cap. The visit is the one of the profile
 * active last, and the other's activity before that visit counts as previous activity, so a
 * dormant member who browses anonymously and then logs in stays dormant. The result obeys the
 * same counter filter and size bound as `applyEvents`.
 *
 * @example mergeProfiles(member, anon, {rules: DEFAULT_SCORING_RULES, settings: DEFAULT_SCORING_SETTINGS}, now).score
 */
export function mergeProfiles(
  memberProfile: Profile,
  anonProfile: Profile,
  scoring: ScoringConfig,
  now: Millis,
  opts: { countedKeys?: ReadonlySet<string>; calendar?: SiteCalendar } = {},
): Profile {
  const calendar = opts.calendar ?? UTC_CALENDAR;
  const [member, anon] = [copy(memberProfile), copy(anonProfile)];
  upgradeLedger(member);
  upgradeLedger(anon);
  rezoneInPlace(member, calendar);
  rezoneInPlace(anon, calendar);
  const { settings } = scoring;
  const lastActiveAt = laterOf(member.lastActiveAt, anon.lastActiveAt);
  // The reference time for decay: the later activity, or now when neither was ever active.
  const at = lastActiveAt ?? now;
  const { caps, capsFrom, excess } = mergeCaps(member, anon, scoring, at, calendar);
  const score = Math.max(
    0,
    decayedScore(member.score, member.lastActiveAt, at, settings.decayPerDay) +
      decayedScore(anon.score, anon.lastActiveAt, at, settings.decayPerDay) -
      excess,
  );

  const days: Profile['days'] = {};
  for (const source of [member.days, anon.days]) {
    for (const [day, counts] of Object.entries(source)) days[day] = sumCounts(own(days, day) ?? {}, counts);
  }

  const exposures = member.exposures;
  for (const [experiment, exposure] of Object.entries(anon.exposures)) {
    const mine = own(exposures, experiment);
    if (!mine || exposure.at < mine.at) exposures[experiment] = exposure;
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

  const merged: Profile = {
    score,
    lastActiveAt,
    visitStartedAt,
    prevActiveAt,
    days,
    totals: sumCounts(member.totals, anon.totals),
    caps,
    capsFrom,
    exposures,
    converted: [...new Set([...member.converted, ...anon.converted])],
    // Both sides were re-keyed into the site's zone above.
    ...(calendar.timeZone === 'UTC' ? {} : { zone: calendar.timeZone }),
  };
  if (opts.countedKeys) dropUncounted(merged, opts.countedKeys);
  fitProfile(merged, MAX_PROFILE_BYTES - RESERVED_BYTES, opts.countedKeys);
  return merged;
}
