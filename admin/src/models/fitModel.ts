/**
 * @module
 * The fit points being edited on the scoring screen (scoring rules that test a trait). Saved
 * with the rest of the scoring (scoringModel's `saveScoring`), so the points table, thresholds
 * and fit points change together.
 */
import { signal } from '@preact/signals';
import type { FitRule, TraitOp } from '@worker/schema/config';
import { parseTraitValue, traitValueText } from '../lib/ruleDraft';

export const fitRules = signal<FitRule[]>([]);

export function updateFitRule(i: number, patch: Partial<FitRule>): void {
  fitRules.value = fitRules.value.map((r, j) => (j === i ? { ...r, ...patch } : r));
}

/** A new row: "役職 = 部長 +15" is the usual first one, so it starts as an equality worth 10. */
export function addFitRule(): void {
  const taken = new Set(fitRules.value.map((r) => r.id));
  let n = fitRules.value.length + 1;
  while (taken.has(`fit_${n}`)) n++;
  fitRules.value = [...fitRules.value, { id: `fit_${n}`, trait: '', op: 'eq', value: '', points: 10, enabled: true }];
}

export function removeFitRule(i: number): void {
  fitRules.value = fitRules.value.filter((_, j) => j !== i);
}

/** Changes a rule's operator, keeping what was typed as its value(s). */
export function withFitOp(r: FitRule, op: TraitOp): FitRule {
  const text = traitValueText({ type: 'trait', trait: r.trait, op: r.op, value: r.value });
  return { ...r, op, value: parseTraitValue(text, op) };
}
