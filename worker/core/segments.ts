/**
 * @module
 * Segment matching. Each segment's rule is compiled once (per configuration version) into
 * plain closures (docs/architecture.md#the-storage-budget); a request then calls them in priority order and the
 * first match wins. The same closures explain *why* a visitor matched, for the admin.
 *
 * Every condition compiles to a pair: a reader of the fact it looks at (a trait value, a
 * count, days, a score, a tier) and a predicate on that fact; matching and explaining share
 * them, so an explanation can never disagree with a decision.
 */
import type { BehaviorCondition, Condition, GroupMatch, Scalar, ScoringSettings, Segment, Traits, TrendCondition } from '../schema/config';
import { counterKey, countWithin, trendCounts } from './counters';
import { NO_FIT, type FitScorer } from './fit';
import type { CompiledModel } from './propensity/model';
import { compare, traitTest } from './trait-match';
import { UTC_CALENDAR, type SiteCalendar } from './zone';
import { currentScore, daysSincePreviousActivity } from './profile';
import { tierOf } from './scoring';
import type { Millis, Profile } from './types';

/** Everything a rule can look at for one visitor at one instant. */
export interface MatchContext {
  traits: Traits;
  profile: Profile;
  now: Millis;
  settings: ScoringSettings;
}

/** One condition's verdict and the fact it saw (null: the trait is missing, or no activity). */
export interface ConditionExplanation {
  condition: Condition;
  matched: boolean;
  actual: Scalar | null;
  /** For groups: the verdict of each child. */
  children?: ConditionExplanation[];
  /** For trends: the two periods' counts (`actual` is their ratio, null below `minPrevious`). */
  counts?: { current: number; previous: number };
}

export interface SegmentExplanation {
  key: string;
  name: string;
  matched: boolean;
  conditions: ConditionExplanation[];
}

interface CompiledCondition {
  test(ctx: MatchContext): boolean;
  explain(ctx: MatchContext): ConditionExplanation;
}

export interface CompiledSegment {
  segment: Segment;
  test(ctx: MatchContext): boolean;
  explain(ctx: MatchContext): ConditionExplanation[];
}

/** Enabled segments in match order, each with its compiled rule. */
export type CompiledSegments = readonly CompiledSegment[];

/** Smallest history kept, so a segment added later with a typical window finds its data. */
export const MIN_RETENTION_DAYS = 90;

/** Builds the matcher/explainer pair from a fact reader and a predicate on the fact. */
function leaf<T extends Scalar | null>(
  condition: Condition,
  read: (ctx: MatchContext) => T,
  holds: (fact: T) => boolean,
): CompiledCondition {
  return {
    test: (ctx) => holds(read(ctx)),
    explain: (ctx) => {
      const actual = read(ctx);
      return { condition, matched: holds(actual), actual: actual ?? null };
    },
  };
}

function compileBehavior(c: BehaviorCondition, calendar: SiteCalendar): CompiledCondition {
  const key = counterKey(c.event, c.where ?? {});
  const within = c.withinDays ?? null;
  const op = c.op ?? 'gte';
  const count = c.count ?? 1;
  return leaf(
    c,
    (ctx) => countWithin(ctx.profile, key, within, ctx.now, calendar),
    (n) => compare(op, n, count),
  );
}

/**
 * The ratio a trend compares, or null when the earlier period is below `minPrevious` (which is
 * at least 1, so there is always a denominator).
 */
function trendRatio(c: TrendCondition, counts: { current: number; previous: number }): number | null {
  return counts.previous >= (c.minPrevious ?? 1) ? counts.current / counts.previous : null;
}

function compileTrend(c: TrendCondition, calendar: SiteCalendar): CompiledCondition {
  const key = counterKey(c.event, c.where ?? {});
  const holds = (ratio: number | null) => ratio !== null && compare(c.op, ratio, c.ratio);
  return {
    test: (ctx) => holds(trendRatio(c, trendCounts(ctx.profile, key, c.days, ctx.now, calendar))),
    explain: (ctx) => {
      const counts = trendCounts(ctx.profile, key, c.days, ctx.now, calendar);
      const ratio = trendRatio(c, counts);
      return { condition: c, matched: holds(ratio), actual: ratio, counts };
    },
  };
}

/** A group's verdict from its children's: every one, at least one, or none of them. */
function combine(match: GroupMatch, verdicts: boolean[]): boolean {
  if (match === 'all') return verdicts.every(Boolean);
  if (match === 'any') return verdicts.some(Boolean);
  return !verdicts.some(Boolean);
}

function compileGroup(condition: Condition, match: GroupMatch, children: Condition[], opts: CompileEnv): CompiledCondition {
  const compiled = children.map((c) => compileCondition(c, opts));
  // `every` of nothing is true and `some` of nothing is false: an empty "all" group matches
  // everyone, an empty "any" group matches no one, and an empty "none" group excludes no one.
  const test =
    match === 'all'
      ? (ctx: MatchContext) => compiled.every((c) => c.test(ctx))
      : match === 'any'
        ? (ctx: MatchContext) => compiled.some((c) => c.test(ctx))
        : (ctx: MatchContext) => !compiled.some((c) => c.test(ctx));
  return {
    test,
    explain: (ctx) => {
      const explained = compiled.map((c) => c.explain(ctx));
      return {
        condition,
        matched: combine(
          match,
          explained.map((e) => e.matched),
        ),
        actual: null,
        children: explained,
      };
    },
  };
}

/** What a rule is compiled against besides itself: fit rules, the site's calendar, models. */
export interface CompileEnv {
  fit?: FitScorer;
  /** Propensity models by key; a condition on a missing model holds for no one. */
  models?: ReadonlyMap<string, CompiledModel>;
  /** Days of behaviour windows and trends (default UTC). */
  calendar?: SiteCalendar;
}

/**
 * Compiles one condition into closures; nothing about its shape is re-read per request.
 * @example compileCondition({type: 'score', op: 'gte', value: 80}).test(ctx)
 */
export function compileCondition(c: Condition, opts: CompileEnv = {}): CompiledCondition {
  switch (c.type) {
    case 'trait': {
      const holds = traitTest(c.op, c.value);
      const trait = c.trait;
      // Own properties only: traits are a plain object, so `constructor` or `toString` would
      // otherwise be found on its prototype and "exist" for every visitor.
      return leaf(
        c,
        (ctx) => (Object.hasOwn(ctx.traits, trait) ? (ctx.traits[trait] ?? null) : null),
        (v) => holds(v ?? undefined),
      );
    }
    case 'behavior':
      return compileBehavior(c, opts.calendar ?? UTC_CALENDAR);
    case 'inactivity': {
      const op = c.op ?? 'gte';
      return leaf(
        c,
        (ctx) => daysSincePreviousActivity(ctx.profile, ctx.now),
        (days) => days !== null && compare(op, days, c.days),
      );
    }
    case 'score':
      return leaf(
        c,
        (ctx) => currentScore(ctx.profile, ctx.settings, ctx.now),
        (score) => compare(c.op, score, c.value),
      );
    case 'trend':
      return compileTrend(c, opts.calendar ?? UTC_CALENDAR);
    case 'tier': {
      const tiers = new Set<string>(c.in);
      return leaf(
        c,
        (ctx) => tierOf(currentScore(ctx.profile, ctx.settings, ctx.now), ctx.settings),
        (tier) => tiers.has(tier),
      );
    }
    case 'fit': {
      const fit = opts.fit ?? NO_FIT;
      return leaf(
        c,
        (ctx) => fit.score(ctx.traits),
        (points) => compare(c.op, points, c.value),
      );
    }
    case 'propensity': {
      const model = opts.models?.get(c.model);
      const fit = opts.fit ?? NO_FIT;
      const calendar = opts.calendar ?? UTC_CALENDAR;
      return leaf(
        c,
        (ctx) =>
          model
            ? Math.round(
                model.probability({ profile: ctx.profile, traits: ctx.traits, now: ctx.now, calendar, fit: fit.score(ctx.traits) }) * 1e4,
              ) / 1e4
            : null,
        (p) => p !== null && compare(c.op, p, c.value),
      );
    }
    case 'group':
      return compileGroup(c, c.match, c.conditions, opts);
  }
}

/**
 * Compiles the enabled segments in match order: `priority` ascending, ties by key. `opts.fit`
 * scores fit conditions (none given: everyone's fit is 0).
 * @example const compiled = compileSegments(config.segments, {fit: compileFit(config.scoring.fit ?? [])}); // once per config version
 */
export function compileSegments(segments: Segment[], opts: CompileEnv = {}): CompiledSegments {
  return segments
    .filter((s) => s.enabled !== false)
    .sort((a, b) => a.priority - b.priority || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((segment) => {
      const rule = compileGroup(
        { type: 'group', match: segment.rule.match, conditions: segment.rule.conditions },
        segment.rule.match,
        segment.rule.conditions,
        opts,
      );
      return {
        segment,
        test: rule.test,
        explain: (ctx: MatchContext) => rule.explain(ctx).children ?? [],
      };
    });
}

/**
 * The first segment whose rule matches, or null.
 * @example resolveSegment(compiled, {traits, profile, now, settings})?.key // 'hot_lead'
 */
export function resolveSegment(compiled: CompiledSegments, ctx: MatchContext): Segment | null {
  for (const c of compiled) if (c.test(ctx)) return c.segment;
  return null;
}

/**
 * Every enabled segment, in match order, with the verdict and the fact seen for each
 * condition: what the admin shows for "why did this member match (or not)". The segment
 * chosen is the first with `matched: true`.
 * @example explainSegments(compiled, ctx).find((s) => s.matched)?.key
 */
export function explainSegments(compiled: CompiledSegments, ctx: MatchContext): SegmentExplanation[] {
  return compiled.map((c) => {
    const conditions = c.explain(ctx);
    return { key: c.segment.key, name: c.segment.name, matched: c.test(ctx), conditions };
  });
}

function longestWindow(conditions: Condition[]): number {
  let longest = 0;
  for (const c of conditions) {
    if (c.type === 'behavior' && c.withinDays) longest = Math.max(longest, c.withinDays);
    // A trend reads its period and the one before it.
    if (c.type === 'trend') longest = Math.max(longest, 2 * c.days);
    if (c.type === 'group') longest = Math.max(longest, longestWindow(c.conditions));
  }
  return longest;
}

/**
 * Days of daily counters the profile must keep: the longest behaviour window in any segment
 * (a trend's two periods count twice; disabled segments too, so enabling one finds its history), at least MIN_RETENTION_DAYS.
 * @example retentionDaysFor([]) // 90
 */
export function retentionDaysFor(segments: Segment[]): number {
  return segments.reduce((days, s) => Math.max(days, longestWindow(s.rule.conditions)), MIN_RETENTION_DAYS);
}

function behaviorKeys(conditions: Condition[], into: Set<string>): void {
  for (const c of conditions) {
    if (c.type === 'behavior' || c.type === 'trend') into.add(counterKey(c.event, c.where ?? {}));
    if (c.type === 'group') behaviorKeys(c.conditions, into);
  }
}

/**
 * Every counter key a behaviour or trend condition of any segment reads (disabled ones too, so
 * enabling one finds its history, as for retention).
 * @example segmentCounterKeys(demoSegments).has('page_view.category=pricing') // true
 */
export function segmentCounterKeys(segments: Segment[]): Set<string> {
  const keys = new Set<string>();
  for (const s of segments) behaviorKeys(s.rule.conditions, keys);
  return keys;
}
