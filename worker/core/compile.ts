/**
 * @module
 * Turns a SiteConfig into the structures the hot path reads: compiled segment rules, the URL
 * category matcher, and per (slot, segment) content and experiments. Built once per config version.
 */
import type { Experiment, SiteConfig, Variant } from '../schema/config';
import { compileCategoryRules } from './categories';
import { counterKey, isValueKey } from './counters';
import { compileFit, type FitScorer } from './fit';
import { isTimeZone, siteCalendar, type SiteCalendar } from './zone';
import { compileModel, type CompiledModel } from './propensity/model';
import { compileSegments, retentionDaysFor, segmentCounterKeys, type CompiledSegments } from './segments';

export interface SlotPlan {
  /** Served when no experiment runs on this (slot, segment). */
  variant: Variant | null;
  experiment: Experiment | null;
}

export interface CompiledConfig {
  version: string;
  source: SiteConfig;
  segments: CompiledSegments;
  /** The fit rules (trait points), for the fit shown beside the score and fit conditions. */
  fit: FitScorer;
  /** The site's calendar (its time zone): caps, windows, trends and results by day. */
  calendar: SiteCalendar;
  /** Trained propensity models by key. */
  models: ReadonlyMap<string, CompiledModel>;
  categoryOf: (url: string) => string | null;
  retentionDays: number;
  /** Per-value counter keys the profile keeps (see `countedKeysFor`); type counters are always kept. */
  countedKeys: ReadonlySet<string>;
  /** `${slot}\u0000${segment}` → plan. */
  plans: Map<string, SlotPlan>;
  variantsById: Map<string, Variant>;
  experimentsById: Map<string, Experiment>;
  segmentNames: Map<string, string>;
}

export const planKey = (slot: string, segment: string) => `${slot}\u0000${segment}`;

/**
 * The per-value counters worth keeping in a profile: the ones a segment's behaviour condition
 * reads, plus the values the configuration itself names (a scoring rule's `match`, a URL
 * category), so a segment written later about those finds their history. Any other value
 * (`download.asset=<whatever the page sent>`) is not counted per value: it would let a page
 * grow a profile without bound, and nothing reads it.
 * @example countedKeysFor(config).has('download.kind=whitepaper') // true with the default rules
 */
export function countedKeysFor(config: Pick<SiteConfig, 'scoring' | 'categories' | 'segments'>): Set<string> {
  // Type counters are always kept, so only per-value keys need naming.
  const keys = new Set([...segmentCounterKeys(config.segments)].filter(isValueKey));
  for (const rule of config.scoring.rules) {
    for (const [prop, value] of Object.entries(rule.match ?? {})) {
      if (value) keys.add(counterKey(rule.eventType, { [prop]: value }));
    }
  }
  for (const c of config.categories) keys.add(counterKey('page_view', { category: c.category }));
  return keys;
}

export function compileConfig(config: SiteConfig): CompiledConfig {
  const variantsById = new Map(config.variants.map((v) => [v.id, v]));
  const plans = new Map<string, SlotPlan>();
  const plan = (slot: string, segment: string) => {
    const key = planKey(slot, segment);
    let p = plans.get(key);
    if (!p) plans.set(key, (p = { variant: null, experiment: null }));
    return p;
  };
  // Variants under test belong to their experiment: while it is a draft, running or paused they
  // are shown only through its arms (a paused test shows the page's default, like a holdout).
  // Once it is stopped they are ordinary content again, so the marketer can keep the winner.
  const underTest = new Set(
    config.experiments
      .filter((e) => e.status !== 'stopped')
      .flatMap((e) => e.arms.map((a) => a.variant).filter((v): v is string => v !== null)),
  );
  for (const v of config.variants) {
    if (!v.enabled || underTest.has(v.id)) continue;
    const p = plan(v.slot, v.segment);
    p.variant ??= v;
  }
  for (const e of config.experiments) {
    if (e.status === 'running') plan(e.slot, e.segment).experiment = e;
  }
  const fit = compileFit(config.scoring.fit ?? []);
  // A zone this runtime does not know (stored by hand, or dropped from the tz database) must not
  // take the hot path down: the site falls back to UTC days.
  const calendar = siteCalendar(config.timeZone && isTimeZone(config.timeZone) ? config.timeZone : 'UTC');
  const models = new Map((config.models ?? []).map((m) => [m.key, compileModel(m)]));
  return {
    version: config.version,
    source: config,
    segments: compileSegments(config.segments, { fit, calendar, models }),
    fit,
    calendar,
    models,
    categoryOf: compileCategoryRules(config.categories),
    retentionDays: retentionDaysFor(config.segments),
    countedKeys: countedKeysFor(config),
    plans,
    variantsById,
    experimentsById: new Map(config.experiments.map((e) => [e.id, e])),
    segmentNames: new Map(config.segments.map((s) => [s.key, s.name])),
  };
}
