/**
 * @module
 * Fit points: scoring rules that test a trait instead of an event (seed 001/002's attribute
 * scoring: 役職 = 部長以上 +15, 業種 ∈ {IT, SaaS} +10). A profile's fit is the sum of the points of
 * the enabled rules its traits pass, computed from the traits as they are now, so it never
 * goes stale when a CRM sync, an import or an identify changes them and it never decays. It
 * sits beside the behaviour score; tiers stay on the behaviour score.
 */
import type { FitRule, Traits } from '../schema/config';
import { traitTest } from './trait-match';

/** One fit rule a profile's traits passed, and what it gave. */
export interface FitReason {
  ruleId: string;
  trait: string;
  points: number;
}

/** The fit rules of a configuration, compiled once per configuration version. */
export interface FitScorer {
  /** Sum of the points of the rules the traits pass (0 with no rules). */
  score(traits: Traits): number;
  /** The rules the traits pass, in rule order: "why is the fit 25?". */
  reasons(traits: Traits): FitReason[];
}

/**
 * @example compileFit([{id: 'exec', trait: 'level', op: 'eq', value: 'executive', points: 15, enabled: true}]).score({level: 'Executive'}) // 15
 */
export function compileFit(rules: readonly FitRule[]): FitScorer {
  const tests = rules.filter((r) => r.enabled !== false).map((r) => ({ rule: r, passes: traitTest(r.op, r.value) }));
  // Own properties only, as for segment trait conditions: `constructor` is not a trait.
  const traitOf = (traits: Traits, key: string) => (Object.hasOwn(traits, key) ? traits[key] : undefined);
  return {
    score(traits) {
      let sum = 0;
      for (const t of tests) if (t.passes(traitOf(traits, t.rule.trait))) sum += t.rule.points;
      return sum;
    },
    reasons(traits) {
      return tests
        .filter((t) => t.passes(traitOf(traits, t.rule.trait)))
        .map((t) => ({ ruleId: t.rule.id, trait: t.rule.trait, points: t.rule.points }));
    },
  };
}

/** A scorer with no rules: fit 0 for everyone (configurations without fit points). */
export const NO_FIT: FitScorer = compileFit([]);
