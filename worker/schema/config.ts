/**
 * @module
 * Configuration shapes (scoring, categories, segments, slots, variants, experiments).
 * One source of truth: the worker validates admin writes with these schemas, the pure core
 * consumes the inferred types, and the admin console imports the same module.
 */
import { z } from 'zod';
import { isTimeZone } from '../core/zone';
import { dimensionProps, eventTypes } from './event-types';
import type { PropensityModel } from './propensity';

export { dimensionProps, eventTypes };

export const slug = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'lowercase letters, digits, "_" or "-"');

export const EventType = z.enum(eventTypes);
export type EventType = z.infer<typeof EventType>;

export const DimensionProp = z.enum(dimensionProps);
export type DimensionProp = z.infer<typeof DimensionProp>;

/** Equality match on event props, e.g. `{category: 'pricing'}`. */
export const PropMatch = z.partialRecord(DimensionProp, z.string().min(1).max(100));
export type PropMatch = z.infer<typeof PropMatch>;

export const ScoringRule = z.object({
  id: slug,
  eventType: EventType,
  match: PropMatch.default({}),
  points: z.number().int().min(-1000).max(1000),
  /** Most points this rule may add to one profile per UTC day; null = no cap. */
  dailyCap: z.number().int().min(0).max(100000).nullable().default(null),
  enabled: z.boolean().default(true),
});
export type ScoringRule = z.infer<typeof ScoringRule>;

export const TraitOp = z.enum(['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'not_in', 'exists', 'not_exists', 'contains']);
export type TraitOp = z.infer<typeof TraitOp>;

export const Tier = z.enum(['hot', 'warm', 'cold']);
export type Tier = z.infer<typeof Tier>;

export const ScoringSettings = z
  .object({
    decayPerDay: z.number().int().min(0).max(1000),
    hotAt: z.number().int().min(1),
    warmAt: z.number().int().min(1),
  })
  .refine((s) => s.warmAt < s.hotAt, { message: 'warmAt must be below hotAt', path: ['warmAt'], params: { reason: 'warm_below_hot' } });
export type ScoringSettings = z.infer<typeof ScoringSettings>;

export const CategoryRule = z.object({
  id: slug,
  /** URL path pattern: `*` matches any run of characters, e.g. `/pricing*` or `/blog/*`. */
  pattern: z.string().min(1).max(300),
  category: slug,
  priority: z.number().int().default(0),
});
export type CategoryRule = z.infer<typeof CategoryRule>;

export const Scalar = z.union([z.string().max(200), z.number().finite(), z.boolean()]);
export type Scalar = z.infer<typeof Scalar>;
export const Traits = z.record(z.string().min(1).max(64), Scalar);
export type Traits = z.infer<typeof Traits>;

export const CompareOp = z.enum(['eq', 'neq', 'gt', 'gte', 'lt', 'lte']);
export type CompareOp = z.infer<typeof CompareOp>;

export const TraitCondition = z.object({
  type: z.literal('trait'),
  trait: z.string().min(1).max(64),
  /** Comparisons on a missing trait are false, so `not_in` means "known and not in". */
  op: TraitOp,
  value: z.union([Scalar, z.array(Scalar).max(100)]).optional(),
});
export type TraitCondition = z.infer<typeof TraitCondition>;

/**
 * A scoring rule that tests a trait instead of an event: fit points (役職 = 部長以上 +15,
 * 業種 ∈ {IT, SaaS} +10). A profile's fit is the sum over the rules its traits pass; it does
 * not decay and is not capped, and tiers stay on the behaviour score.
 */
export const FitRule = z.object({
  id: slug,
  trait: z.string().min(1).max(64),
  op: TraitOp,
  value: z.union([Scalar, z.array(Scalar).max(100)]).optional(),
  points: z.number().int().min(-1000).max(1000),
  enabled: z.boolean().default(true),
});
export type FitRule = z.infer<typeof FitRule>;

export const BehaviorCondition = z.object({
  type: z.literal('behavior'),
  event: EventType,
  /** At most one prop: the profile keeps one counter per (event type, prop, value). */
  where: PropMatch.refine((w) => Object.keys(w).length <= 1, {
    message: 'a behaviour condition matches at most one prop',
    params: { reason: 'one_prop' },
  }).default({}),
  /** Window in days counting today; null = all history. */
  withinDays: z.number().int().min(1).max(365).nullable().default(null),
  op: CompareOp.default('gte'),
  count: z.number().int().min(0).max(100000).default(1),
});
export type BehaviorCondition = z.infer<typeof BehaviorCondition>;

export const InactivityCondition = z.object({
  type: z.literal('inactivity'),
  /** Whole days since the previous activity, measured before the current visit. */
  op: CompareOp.default('gte'),
  days: z.number().int().min(0).max(3650),
});
export type InactivityCondition = z.infer<typeof InactivityCondition>;

export const ScoreCondition = z.object({
  type: z.literal('score'),
  op: CompareOp,
  value: z.number().finite(),
});
export type ScoreCondition = z.infer<typeof ScoreCondition>;

export const TierCondition = z.object({
  type: z.literal('tier'),
  in: z.array(Tier).min(1),
});
export type TierCondition = z.infer<typeof TierCondition>;

/**
 * A change in behaviour: how often `event` (optionally with one prop value) happened in the
 * last `days` days against the `days` days before. Holds when the earlier period counted at
 * least `minPrevious` and `current / previous` compares to `ratio` with `op` — "logins over
 * the last 30 days at most half of the 30 days before" is `{days: 30, op: 'lte', ratio: 0.5}`.
 * `minPrevious` is at least 1, so the ratio always has a denominator.
 */
export const TrendCondition = z.object({
  type: z.literal('trend'),
  event: EventType,
  where: PropMatch.refine((w) => Object.keys(w).length <= 1, {
    message: 'a trend condition matches at most one prop',
    params: { reason: 'one_prop' },
  }).default({}),
  /** Length of each of the two periods; the profile keeps twice this many days. */
  days: z.number().int().min(1).max(180),
  op: CompareOp,
  ratio: z.number().finite().min(0).max(1000),
  minPrevious: z.number().int().min(1).max(100000).default(1),
});
export type TrendCondition = z.infer<typeof TrendCondition>;

/** The fit score (trait points, see FitRule) compared with a number. */
export const FitCondition = z.object({
  type: z.literal('fit'),
  op: CompareOp,
  value: z.number().finite(),
});
export type FitCondition = z.infer<typeof FitCondition>;

/** A propensity model's probability for the profile now (0–1), e.g. "likelihood ≥ 0.3". */
export const PropensityCondition = z.object({
  type: z.literal('propensity'),
  model: slug,
  op: CompareOp,
  value: z.number().min(0).max(1),
});
export type PropensityCondition = z.infer<typeof PropensityCondition>;

/** How a list of conditions combines: every one, at least one, or none of them (exclusions). */
export const GroupMatch = z.enum(['all', 'any', 'none']);
export type GroupMatch = z.infer<typeof GroupMatch>;

export type Condition =
  | TraitCondition
  | BehaviorCondition
  | InactivityCondition
  | ScoreCondition
  | TierCondition
  | TrendCondition
  | FitCondition
  | PropensityCondition
  | ConditionGroup;
export interface ConditionGroup {
  type: 'group';
  match: GroupMatch;
  conditions: Condition[];
}
export const Condition: z.ZodType<Condition, unknown> = z.lazy(() =>
  z.union([
    TraitCondition,
    BehaviorCondition,
    InactivityCondition,
    ScoreCondition,
    TierCondition,
    TrendCondition,
    FitCondition,
    PropensityCondition,
    ConditionGroup,
  ]),
);
export const ConditionGroup: z.ZodType<ConditionGroup, unknown> = z.object({
  type: z.literal('group'),
  match: GroupMatch,
  conditions: z.array(z.lazy(() => Condition)).max(50),
});

export const Segment = z.object({
  id: slug,
  key: slug,
  name: z.string().min(1).max(100),
  description: z.string().max(500).default(''),
  priority: z.number().int(),
  enabled: z.boolean().default(true),
  rule: z.object({
    match: GroupMatch,
    conditions: z.array(Condition).max(50),
  }),
});
export type Segment = z.infer<typeof Segment>;

export const Slot = z.object({
  key: slug,
  name: z.string().max(100).default(''),
});
export type Slot = z.infer<typeof Slot>;

export const Variant = z.object({
  id: slug,
  slot: slug,
  /** Segment key this content is for. */
  segment: slug,
  name: z.string().max(100).default(''),
  html: z.string().max(32_000),
  enabled: z.boolean().default(true),
});
export type Variant = z.infer<typeof Variant>;

export const Arm = z.object({
  key: slug,
  weight: z.number().min(0).max(1),
  /** Variant shown in this arm; null for `control` (the page's default content). */
  variant: slug.nullable(),
});
export type Arm = z.infer<typeof Arm>;

export const ExperimentStatus = z.enum(['draft', 'running', 'paused', 'stopped']);
export type ExperimentStatus = z.infer<typeof ExperimentStatus>;

export const Goal = z.object({
  /** `conversion` with a goal slug, or any event type (e.g. `form_inquiry`). */
  eventType: EventType,
  goal: slug.nullable().default(null),
});
export type Goal = z.infer<typeof Goal>;

export const Experiment = z.object({
  id: slug,
  name: z.string().max(100).default(''),
  slot: slug,
  segment: slug,
  goal: Goal,
  status: ExperimentStatus,
  arms: z.array(Arm).min(1).max(10),
  startedAt: z.string().nullable().default(null),
  stoppedAt: z.string().nullable().default(null),
});
export type Experiment = z.infer<typeof Experiment>;

/**
 * The site's stylesheet for the console's variant preview: an https address (http only on this
 * machine, for local development), without user:password. The console's policy then allows
 * stylesheets from that one origin, nothing else.
 * @example isPreviewStylesheet('https://www.example.co.jp/css/site.css') // true
 */
export function isPreviewStylesheet(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
  return url.protocol === 'https:' || (url.protocol === 'http:' && local);
}

/**
 * Site-wide settings: the site's time zone, an IANA name (`Asia/Tokyo`); absent = UTC; and the
 * stylesheet the variant preview renders with (null: none). A PUT without `previewStylesheet`
 * keeps the stored one, so a client that only sets the zone never clears it.
 */
export const SiteSettings = z.object({
  timeZone: z
    .string()
    .min(1)
    .max(64)
    .refine((name) => isTimeZone(name), { message: 'not a known IANA time zone', params: { reason: 'unknown_time_zone' } }),
  previewStylesheet: z
    .string()
    .max(2048)
    .refine((u) => isPreviewStylesheet(u), {
      message: 'must be an https URL (http only for localhost)',
      params: { reason: 'stylesheet_url' },
    })
    .nullable()
    .optional(),
});
export type SiteSettings = z.infer<typeof SiteSettings>;

/** Everything the hot path needs, loaded once per isolate and cached by `version`. */
export interface SiteConfig {
  version: string;
  /** The site's time zone (IANA); absent = UTC. Days for caps, windows and results follow it. */
  timeZone?: string;
  /** Trained propensity models (core/propensity), for segments that test a likelihood. */
  models?: PropensityModel[];
  /** `fit`: scoring rules that test a trait (absent in configurations from before fit points). */
  scoring: { rules: ScoringRule[]; settings: ScoringSettings; fit?: FitRule[] };
  categories: CategoryRule[];
  segments: Segment[];
  slots: Slot[];
  variants: Variant[];
  experiments: Experiment[];
}
