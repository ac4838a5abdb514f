/**
 * @module
 * A propensity factor in words, in English and Japanese: what the feature is, the member's
 * value, and the log-odds it adds ("pricing page views in the last 30 days: 3 (+0.82)").
 */
import type { Lang } from '../describe';
import type { Feature } from './features';
import type { Factor } from './model';

function key(k: string): string {
  const [type, rest] = k.split('.', 2);
  if (!rest) return k;
  const [prop, value] = rest.split('=', 2);
  return `${type} (${prop} = ${value})`;
}

/**
 * @example describeFeature({kind: 'count', key: 'page_view.category=pricing', days: 30}, 'en') // 'page_view (category = pricing) in the last 30 days'
 */
export function describeFeature(f: Feature, lang: Lang): string {
  switch (f.kind) {
    case 'count':
      return lang === 'en' ? `${key(f.key)} in the last ${f.days} days` : `直近${f.days}日の ${key(f.key)}`;
    case 'recency':
      return lang === 'en' ? 'days since the last activity' : '最終活動からの日数';
    case 'fit':
      return lang === 'en' ? 'fit' : '属性スコア';
    case 'trait':
      return lang === 'en' ? `${f.trait} = ${f.value}` : `${f.trait} が ${f.value}`;
    case 'traitNumber':
      return f.trait;
  }
}

const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(2)}`;

/**
 * @example describeFactor({feature: {kind: 'count', key: 'page_view.category=pricing', days: 30}, value: 3, contribution: 0.82}, 'en')
 *   // 'page_view (category = pricing) in the last 30 days: 3 (+0.82 log-odds)'
 * @example describeFactor({feature: {kind: 'trait', trait: 'industry', value: 'saas'}, value: 0, contribution: -0.4}, 'ja')
 *   // 'industry が saas ではない（対数オッズ −0.40）'
 */
export function describeFactor(factor: Factor, lang: Lang): string {
  const f = factor.feature;
  if (f.kind === 'trait') {
    const is = factor.value === 1;
    return lang === 'en'
      ? `${f.trait} ${is ? '=' : 'is not'} ${f.value} (${signed(factor.contribution)} log-odds)`
      : `${f.trait} が ${f.value}${is ? '' : ' ではない'}（対数オッズ ${signed(factor.contribution)}）`;
  }
  const unit = lang === 'ja' && f.kind === 'count' ? '回' : lang === 'ja' && f.kind === 'recency' ? '日' : '';
  return lang === 'en'
    ? `${describeFeature(f, lang)}: ${factor.value} (${signed(factor.contribution)} log-odds)`
    : `${describeFeature(f, lang)}：${factor.value}${unit}（対数オッズ ${signed(factor.contribution)}）`;
}
