/**
 * @module
 * Fit points (scoring rules that test a trait) as the scoring editor edits them: a new row, and
 * a change of operator that keeps what was typed. They are saved with the rest of the scoring
 * (scoringModel's editor), so the points table, thresholds and fit points change together.
 */
import type { FitRule, TraitOp } from '@worker/schema/config';
import { parseTraitValue, traitValueText } from '../lib/ruleDraft';

/** A new row: "役職 = 部長 +15" is the usual first one, so it starts as an equality worth 10. */
export function newFitRule(existing: FitRule[]): FitRule {
  const taken = new Set(existing.map((r) => r.id));
  let n = existing.length + 1;
  while (taken.has(`fit_${n}`)) n++;
  return { id: `fit_${n}`, trait: '', op: 'eq', value: '', points: 10, enabled: true };
}

/** Changes a rule's operator, keeping what was typed as its value(s). */
export function withFitOp(r: FitRule, op: TraitOp): FitRule {
  const text = traitValueText({ type: 'trait', trait: r.trait, op: r.op, value: r.value });
  return { ...r, op, value: parseTraitValue(text, op) };
}
