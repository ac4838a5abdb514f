/**
 * @module
 * What the stored columns of a member (`score` at `last_active_at`, and `last_active_at`) must
 * satisfy for a segment rule to match now: a *necessary* condition, so a member list filtered by
 * segment reads only members that could match, through the indexes, and evaluates the real rule
 * (in JS, as of now) on those alone.
 *
 * Each bound follows from how a fact can change without new events: a score only decays (the
 * current score is at most the stored one), a behaviour count within N days needs an event in
 * those days (and every counted event is at or before `last_active_at`), "days since previous
 * activity ≥ D" needs the last activity D days back or a visit still going on, a trend needs
 * activity within its two periods. A condition that
 * bounds nothing (traits, "at most" counts, kinds added later) is `true`; bounds are widened by
 * a day where calendar days could differ from 24-hour spans.
 */
import type { Condition, ScoringSettings } from '../schema/config';
import { DAY_MS, VISIT_GAP_MS, type Millis } from './types';

/** A condition on the stored columns; the worker turns it into SQL. */
export type Bound =
  | { kind: 'true' }
  | { kind: 'false' }
  | { kind: 'all' | 'any'; of: Bound[] }
  /** stored score ≥ value */
  | { kind: 'storedScoreAtLeast'; value: number }
  /** last_active_at ≥ at */
  | { kind: 'activeSince'; at: Millis }
  /** last_active_at ≤ before, or (a visit going on) last_active_at ≥ after */
  | { kind: 'quietSince'; before: Millis; orAfter: Millis }
  /** last_active_at is not null */
  | { kind: 'everActive' };

const TRUE: Bound = { kind: 'true' };
const FALSE: Bound = { kind: 'false' };

function all(of: Bound[]): Bound {
  if (of.some((b) => b.kind === 'false')) return FALSE;
  const kept = of.filter((b) => b.kind !== 'true');
  return kept.length === 0 ? TRUE : kept.length === 1 ? kept[0]! : { kind: 'all', of: kept };
}

function any(of: Bound[]): Bound {
  if (of.some((b) => b.kind === 'true')) return TRUE;
  const kept = of.filter((b) => b.kind !== 'false');
  return kept.length === 0 ? FALSE : kept.length === 1 ? kept[0]! : { kind: 'any', of: kept };
}

/**
 * The least value a fact compared with `op value` must reach for the comparison to hold, if
 * any. Counts and days are whole numbers (> 2 means ≥ 3); a score may not be (> v: ≥ v).
 */
function atLeast(op: string, value: number, whole: boolean): number | null {
  if (op === 'gte' || op === 'eq') return value;
  if (op === 'gt') return whole ? Math.floor(value) + 1 : value;
  return null;
}

function conditionBound(c: Condition, settings: ScoringSettings, now: Millis): Bound {
  switch (c.type) {
    case 'group':
      // An exclusion ("none of") bounds nothing: it holds for those who did nothing at all.
      if (c.match === 'all') return all(c.conditions.map((x) => conditionBound(x, settings, now)));
      if (c.match === 'any') return any(c.conditions.map((x) => conditionBound(x, settings, now)));
      return TRUE;
    case 'behavior': {
      const least = atLeast(c.op ?? 'gte', c.count ?? 1, true);
      if (least === null || least < 1) return TRUE;
      const within = c.withinDays ?? null;
      return within === null ? { kind: 'everActive' } : { kind: 'activeSince', at: now - (within + 1) * DAY_MS };
    }
    case 'trend':
      // The earlier period must hold at least `minPrevious` (≥ 1) events, so the last
      // activity is within both periods.
      return { kind: 'activeSince', at: now - (2 * c.days + 1) * DAY_MS };
    case 'inactivity': {
      const least = atLeast(c.op ?? 'gte', c.days, true);
      if (least === null || least < 2) return { kind: 'everActive' };
      return { kind: 'quietSince', before: now - (Math.ceil(least) - 1) * DAY_MS, orAfter: now - VISIT_GAP_MS };
    }
    case 'score': {
      const least = atLeast(c.op, c.value, false);
      return least !== null && least > 0 ? { kind: 'storedScoreAtLeast', value: least } : TRUE;
    }
    case 'tier': {
      if (c.in.includes('cold')) return TRUE;
      const least = Math.min(...c.in.map((t) => (t === 'hot' ? settings.hotAt : settings.warmAt)));
      return { kind: 'storedScoreAtLeast', value: least };
    }
    default:
      return TRUE;
  }
}

/**
 * The necessary condition on stored columns for a segment rule (`match` over `conditions`) to
 * hold at `now`.
 * @example ruleBound({match: 'all', conditions: [{type: 'score', op: 'gte', value: 80}]}, settings, now) // {kind: 'storedScoreAtLeast', value: 80}
 */
export function ruleBound(rule: { match: string; conditions: Condition[] }, settings: ScoringSettings, now: Millis): Bound {
  return conditionBound({ type: 'group', match: rule.match as 'all', conditions: rule.conditions }, settings, now);
}
