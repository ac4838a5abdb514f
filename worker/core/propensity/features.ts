/**
 * @module
 * What a propensity model looks at, as data: each feature is a number read from a profile and
 * its traits at one instant (a cut-off when training, now when scoring), so the same spec
 * builds the training table and scores a member on a page view. Counts and sizes enter as
 * log(1 + x), which keeps one very busy member from dominating and reads as "each doubling adds
 * about the same".
 */
import { countWithin } from '../counters';
import type { SiteCalendar } from '../zone';
import type { Profile } from '../types';
import type { Scalar, Traits } from '../../schema/config';

export type Feature =
  /** log(1 + how often `key` happened in the last `days` days). */
  | { kind: 'count'; key: string; days: number }
  /** log(1 + whole days since the last activity), 365 when never active. */
  | { kind: 'recency' }
  /** The fit points (trait-testing scoring rules). */
  | { kind: 'fit' }
  /** 1 when the trait equals `value` (case-insensitive), else 0. */
  | { kind: 'trait'; trait: string; value: string }
  /** log(1 + the trait as a number), 0 when missing or not a number. */
  | { kind: 'traitNumber'; trait: string };

export interface FeatureContext {
  profile: Profile;
  traits: Traits;
  now: number;
  calendar: SiteCalendar;
  fit: number;
}

const DAY_MS = 86_400_000;

function numberOf(v: Scalar | undefined): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\s*[+-]?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
  return null;
}

/**
 * One feature's value.
 * @example featureValue({kind: 'count', key: 'page_view.category=pricing', days: 30}, ctx) // Math.log1p(3)
 */
export function featureValue(f: Feature, ctx: FeatureContext): number {
  switch (f.kind) {
    case 'count':
      return Math.log1p(countWithin(ctx.profile, f.key, f.days, ctx.now, ctx.calendar));
    case 'recency': {
      const last = ctx.profile.lastActiveAt;
      const days = last === null ? 365 : Math.min(365, Math.max(0, Math.floor((ctx.now - last) / DAY_MS)));
      return Math.log1p(days);
    }
    case 'fit':
      return ctx.fit;
    case 'trait': {
      const v = Object.hasOwn(ctx.traits, f.trait) ? ctx.traits[f.trait] : undefined;
      return v !== undefined && String(v).trim().toLowerCase() === f.value.toLowerCase() ? 1 : 0;
    }
    case 'traitNumber': {
      const n = numberOf(Object.hasOwn(ctx.traits, f.trait) ? ctx.traits[f.trait] : undefined);
      return n === null || n < 0 ? 0 : Math.log1p(n);
    }
  }
}

/** The feature vector of a profile at an instant. */
export function featureVector(features: readonly Feature[], ctx: FeatureContext): number[] {
  return features.map((f) => featureValue(f, ctx));
}

/**
 * The features a model is trained on, chosen from what the data holds: the counts the
 * configuration keeps (event types, and the per-value keys segments and scoring read) over 7
 * and 30 days, recency, fit, numeric traits, and for text traits their common values (in at
 * least 2 % of the profiles, 8 per trait at most). Counts nobody has are left out.
 * @example chooseFeatures(['page_view', 'download'], [{industry: 'SaaS', employees: 120}, …], true)
 */
export function chooseFeatures(counterKeys: readonly string[], traitRows: readonly Traits[], withFit: boolean): Feature[] {
  const out: Feature[] = [];
  for (const key of [...counterKeys].sort()) for (const days of [7, 30]) out.push({ kind: 'count', key, days });
  out.push({ kind: 'recency' });
  if (withFit) out.push({ kind: 'fit' });
  const numeric = new Map<string, number>();
  const values = new Map<string, Map<string, number>>();
  for (const traits of traitRows) {
    for (const [k, v] of Object.entries(traits)) {
      if (numberOf(v) !== null) numeric.set(k, (numeric.get(k) ?? 0) + 1);
      else if (typeof v === 'string' && v.trim()) {
        const m = values.get(k) ?? new Map<string, number>();
        const value = v.trim().toLowerCase();
        m.set(value, (m.get(value) ?? 0) + 1);
        values.set(k, m);
      }
    }
  }
  const min = Math.max(1, Math.ceil(traitRows.length * 0.02));
  for (const [trait, n] of [...numeric].sort()) if (n >= min) out.push({ kind: 'traitNumber', trait });
  for (const [trait, m] of [...values].sort(([a], [b]) => (a < b ? -1 : 1))) {
    // Identifiers (a company name, an email) have as many values as people: not a feature.
    if (m.size > traitRows.length / 2) continue;
    const common = [...m]
      .filter(([, n]) => n >= min)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 8);
    for (const [value] of common) out.push({ kind: 'trait', trait, value });
  }
  return out;
}
