/**
 * @module
 * Short human text for segment conditions, in English and Japanese, for the admin's rule
 * lists and "why did this member match" view. Kept next to the core so previews, the admin
 * and tests all phrase a rule the same way.
 */
import type { CompareOp, Condition, GroupMatch, PropMatch, Scalar } from '../schema/config';
import type { ConditionExplanation } from './segments';

import type { Lang } from './types';

export type { Lang };

const EN_OPS: Record<string, string> = {
  eq: '=',
  neq: '≠',
  gt: '>',
  gte: '≥',
  lt: '<',
  lte: '≤',
  contains: 'contains',
};

/** Japanese puts the comparison after the value: "50以上". */
const JA_SUFFIX: Record<CompareOp, string> = {
  eq: '',
  neq: '以外',
  gt: '超',
  gte: '以上',
  lt: '未満',
  lte: '以下',
};

function list(value: Scalar | Scalar[] | undefined): string {
  if (value === undefined) return '';
  return (Array.isArray(value) ? value : [value]).map(String).join(', ');
}

function where(w: PropMatch | undefined): string {
  const parts = Object.entries(w ?? {}).map(([k, v]) => `${k} = ${v}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

function traitText(c: Extract<Condition, { type: 'trait' }>, lang: Lang): string {
  const v = list(c.value);
  if (lang === 'en') {
    switch (c.op) {
      case 'exists':
        return `${c.trait} is set`;
      case 'not_exists':
        return `${c.trait} is not set`;
      case 'in':
        return `${c.trait} in {${v}}`;
      case 'not_in':
        return `${c.trait} not in {${v}}`;
      default:
        return `${c.trait} ${EN_OPS[c.op]} ${v}`;
    }
  }
  switch (c.op) {
    case 'exists':
      return `${c.trait} が設定済み`;
    case 'not_exists':
      return `${c.trait} が未設定`;
    case 'in':
      return `${c.trait} が {${v}} のいずれか`;
    case 'not_in':
      return `${c.trait} が {${v}} 以外`;
    case 'contains':
      return `${c.trait} に「${v}」を含む`;
    case 'eq':
      return `${c.trait} が ${v}`;
    default:
      return `${c.trait} が ${v}${JA_SUFFIX[c.op]}`;
  }
}

/** A ratio as a percentage with at most one decimal: 0.5 → "50%", 1/3 → "33.3%". */
function percent(ratio: number): string {
  return `${Math.round(ratio * 1000) / 10}%`;
}

const GROUP_WORDS: Record<Lang, Record<GroupMatch, string>> = {
  en: { all: 'all of', any: 'any of', none: 'none of' },
  ja: { all: 'すべて満たす', any: 'いずれかを満たす', none: 'いずれも満たさない' },
};

/**
 * One line describing a condition (groups recurse in parentheses).
 * @example describeCondition({type: 'behavior', event: 'page_view', where: {category: 'pricing'}, withinDays: 7, op: 'gte', count: 1}, 'en')
 *   // 'page_view (category = pricing) ≥ 1 within 7 days'
 * @example describeCondition({type: 'behavior', event: 'page_view', where: {category: 'pricing'}, withinDays: 7, op: 'gte', count: 1}, 'ja')
 *   // '7日以内に page_view (category = pricing) が1回以上'
 */
export function describeCondition(c: Condition, lang: Lang): string {
  switch (c.type) {
    case 'trait':
      return traitText(c, lang);
    case 'behavior': {
      const op = c.op ?? 'gte';
      const count = c.count ?? 1;
      const what = `${c.event}${where(c.where)}`;
      if (lang === 'en') {
        const span = c.withinDays ? `within ${c.withinDays} days` : 'all time';
        return `${what} ${EN_OPS[op]} ${count} ${span}`;
      }
      const span = c.withinDays ? `${c.withinDays}日以内に` : 'これまでに';
      return `${span} ${what} が${count}回${JA_SUFFIX[op]}`;
    }
    case 'inactivity': {
      const op = c.op ?? 'gte';
      return lang === 'en' ? `days since previous activity ${EN_OPS[op]} ${c.days}` : `前回の活動から${c.days}日${JA_SUFFIX[op]}`;
    }
    case 'score':
      return lang === 'en' ? `score ${EN_OPS[c.op]} ${c.value}` : `スコアが${c.value}${JA_SUFFIX[c.op]}`;
    case 'tier':
      return lang === 'en' ? `score tier in {${c.in.join(', ')}}` : `スコアランクが {${c.in.join(', ')}} のいずれか`;
    case 'fit':
      return lang === 'en' ? `fit ${EN_OPS[c.op]} ${c.value}` : `属性スコアが${c.value}${JA_SUFFIX[c.op]}`;
    case 'propensity':
      return lang === 'en'
        ? `likelihood (${c.model}) ${EN_OPS[c.op]} ${percent(c.value)}`
        : `見込み度（${c.model}）が${percent(c.value)}${JA_SUFFIX[c.op]}`;
    case 'trend': {
      const what = `${c.event}${where(c.where)}`;
      const min = c.minPrevious ?? 1;
      return lang === 'en'
        ? `${what} in the last ${c.days} days ${EN_OPS[c.op]} ${percent(c.ratio)} of the ${c.days} days before (at least ${min} then)`
        : `${what} の直近${c.days}日の回数が、その前の${c.days}日の${percent(c.ratio)}${JA_SUFFIX[c.op]}（前の期間に${min}回以上）`;
    }
    case 'group': {
      const inner = c.conditions.map((child) => describeCondition(child, lang)).join('; ');
      return `${GROUP_WORDS[lang][c.match]} (${inner})`;
    }
  }
}

/**
 * The fact a condition saw, for "why did this member match": a trend shows both periods and
 * their ratio, other conditions their value ('—' when there was none, e.g. a missing trait).
 * @example describeActual({condition: trend30, matched: true, actual: 0.3, counts: {current: 3, previous: 10}}, 'en')
 *   // '3 in the last 30 days, 10 in the 30 before (30%)'
 * @example describeActual({condition: trend30, matched: true, actual: 0.3, counts: {current: 3, previous: 10}}, 'ja')
 *   // '直近30日 3回・その前の30日 10回（30%）'
 */
export function describeActual(e: ConditionExplanation, lang: Lang): string {
  if (e.condition.type === 'trend' && e.counts) {
    const { days } = e.condition;
    const { current, previous } = e.counts;
    const ratio = typeof e.actual === 'number' ? percent(e.actual) : null;
    if (lang === 'en') {
      return `${current} in the last ${days} days, ${previous} in the ${days} before (${ratio ?? `fewer than ${e.condition.minPrevious ?? 1} before`})`;
    }
    return `直近${days}日 ${current}回・その前の${days}日 ${previous}回（${ratio ?? `前の期間が${e.condition.minPrevious ?? 1}回未満`}）`;
  }
  if (e.condition.type === 'propensity' && typeof e.actual === 'number') return percent(e.actual);
  return e.actual === null ? '—' : String(e.actual);
}
