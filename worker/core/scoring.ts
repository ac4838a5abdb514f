/**
 * @module
 * Lead scoring primitives: which rules an event matches, lazy decay, and tiers (docs/api.md#scoring).
 * Scores are stored as "value at last activity" and decayed when read (docs/architecture.md#decisions-and-why).
 */
import type { ScoringRule, ScoringSettings, Tier } from '../schema/config';
import { DAY_MS, type Millis, type NormalizedEvent } from './types';

/**
 * Whole days elapsed between two instants (negative spans count as 0).
 * @example wholeDays(2.9 * 86_400_000) // 2
 */
export function wholeDays(ms: number): number {
  return ms > 0 ? Math.floor(ms / DAY_MS) : 0;
}

/**
 * The score at `now` of a profile whose score was `score` at `lastActiveAt`:
 * minus `decayPerDay` per full day elapsed, floored at 0. A clock that runs behind the last
 * activity (`now < lastActiveAt`) decays nothing rather than adding points.
 * @example decayedScore(50, Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 11), 1) // 40
 */
export function decayedScore(score: number, lastActiveAt: Millis | null, now: Millis, decayPerDay: number): number {
  if (lastActiveAt === null) return Math.max(0, score);
  return Math.max(0, score - wholeDays(now - lastActiveAt) * decayPerDay);
}

/**
 * The enabled rules that apply to an event: same event type, and every `match` prop equal to
 * the event's prop as a string (so `{value: '3'}` matches a numeric 3).
 * @example matchingRules({id: 'e1', type: 'page_view', at: 0, props: {category: 'pricing'}}, DEFAULT_SCORING_RULES)
 *   .map((r) => r.id) // ['page_view', 'page_view_pricing']
 */
export function matchingRules(event: NormalizedEvent, rules: ScoringRule[]): ScoringRule[] {
  return rules.filter(
    (rule) =>
      rule.enabled !== false &&
      rule.eventType === event.type &&
      Object.entries(rule.match ?? {}).every(
        ([prop, want]) => event.props[prop] !== undefined && event.props[prop] !== null && String(event.props[prop]) === want,
      ),
  );
}

/**
 * The tier of a (decayed) score.
 * @example tierOf(80, {decayPerDay: 1, hotAt: 80, warmAt: 30}) // 'hot'
 */
export function tierOf(score: number, settings: ScoringSettings): Tier {
  if (score >= settings.hotAt) return 'hot';
  if (score >= settings.warmAt) return 'warm';
  return 'cold';
}
