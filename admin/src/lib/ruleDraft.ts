/**
 * @module
 * Pure helpers of the segment rule builder: a sensible new condition of each kind, and the
 * text ⇄ value conversions of trait values ("IT, SaaS" ⇄ ['IT', 'SaaS'], "50" ⇄ 50).
 */
import type { Condition, Scalar, TraitCondition } from '@worker/schema/config';

export type ConditionType = Condition['type'];
export const CONDITION_TYPES: ConditionType[] = ['trait', 'behavior', 'trend', 'inactivity', 'score', 'fit', 'propensity', 'tier', 'group'];

/**
 * @example newCondition('behavior') // {type: 'behavior', event: 'page_view', where: {}, withinDays: 30, op: 'gte', count: 1}
 */
export function newCondition(type: ConditionType): Condition {
  switch (type) {
    case 'trait':
      return { type: 'trait', trait: '', op: 'eq', value: '' };
    case 'behavior':
      return { type: 'behavior', event: 'page_view', where: {}, withinDays: 30, op: 'gte', count: 1 };
    case 'inactivity':
      return { type: 'inactivity', op: 'gte', days: 90 };
    case 'score':
      return { type: 'score', op: 'gte', value: 80 };
    case 'tier':
      return { type: 'tier', in: ['hot'] };
    case 'fit':
      return { type: 'fit', op: 'gte', value: 20 };
    case 'propensity':
      // The model is chosen in the editor (the site's trained models); none chosen is refused.
      return { type: 'propensity', model: '', op: 'gte', value: 0.3 };
    case 'trend':
      // Seed 003's churn sign: logins over the last 30 days at most half of the 30 days before.
      return { type: 'trend', event: 'login', where: {}, days: 30, op: 'lte', ratio: 0.5, minPrevious: 1 };
    case 'group':
      return { type: 'group', match: 'any', conditions: [] };
  }
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** "50" → 50, " SaaS " → "SaaS". */
export function parseScalar(text: string): Scalar {
  const s = text.trim();
  return DECIMAL.test(s) ? Number(s) : s;
}

export const isListOp = (op: TraitCondition['op']) => op === 'in' || op === 'not_in' || op === 'contains';
export const takesNoValue = (op: TraitCondition['op']) => op === 'exists' || op === 'not_exists';

/**
 * @example parseTraitValue('IT, SaaS', 'in') // ['IT', 'SaaS']
 * @example parseTraitValue('50', 'gte') // 50
 */
export function parseTraitValue(text: string, op: TraitCondition['op']): TraitCondition['value'] {
  if (takesNoValue(op)) return undefined;
  if (isListOp(op)) {
    return text
      .split(/[,、，]/)
      .map((s) => s.trim())
      .filter(Boolean)
      .map(parseScalar);
  }
  return parseScalar(text);
}

/** @example traitValueText({type: 'trait', trait: 'industry', op: 'in', value: ['IT', 'SaaS']}) // 'IT, SaaS' */
export function traitValueText(c: TraitCondition): string {
  if (c.value === undefined) return '';
  return Array.isArray(c.value) ? c.value.map(String).join(', ') : String(c.value);
}

/** Converts a trait condition to another operator, keeping its values. */
export function withTraitOp(c: TraitCondition, op: TraitCondition['op']): TraitCondition {
  return { ...c, op, value: parseTraitValue(traitValueText(c), op) };
}

/** Days input: empty means "all time" (null). */
export function parseDays(text: string): number | null {
  const s = text.trim();
  if (s === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : NaN;
}

/**
 * A trend's ratio as the percentage the form shows, and back: marketers say "50 %", the rule
 * stores 0.5. Rounded to a tenth of a percent so 0.07 shows as 7, not 7.000000000000001.
 * @example ratioPercent(0.5) // 50
 * @example parsePercent('50') // 0.5
 */
export function ratioPercent(ratio: number): number {
  return Math.round(ratio * 1000) / 10;
}

/** @example parsePercent('') // NaN (the API then says the field is needed) */
export function parsePercent(text: string): number {
  const s = text.trim();
  if (s === '') return NaN;
  const n = Number(s);
  return Number.isFinite(n) ? n / 100 : NaN;
}
