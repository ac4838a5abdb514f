/**
 * @module
 * What a verdict says to the marketer, in Japanese and English. Plain words, no statistics
 * jargon beyond "SRM", which the admin explains in a tooltip.
 */
import type { Verdict } from './verdict';

import type { Lang } from '../types';

export type { Lang };

/**
 * Rounds a projection up to two significant digits: "about 12,000" reads as the estimate it
 * is, "about 11,873" pretends to a precision it does not have.
 */
export function roundUpAbout(n: number): number {
  if (n <= 0) return 0;
  const step = 10 ** Math.max(0, Math.floor(Math.log10(n)) - 1);
  return Math.ceil(n / step) * step;
}

/** Thousands separators without Intl, so output is identical in every runtime. */
function group(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * The sentence shown next to an arm. Accepts any object carrying the verdict fields, so an
 * arm of `computeExperimentResults` can be passed as it is.
 *
 * @example
 * verdictMessage({ verdict: 'keep_running', moreVisitorsNeeded: 11873, moreDays: 5 }, 'ja');
 * // '継続 (あと約 12,000 人・約 5 日)'
 * verdictMessage({ verdict: 'winner', moreVisitorsNeeded: null, moreDays: null }, 'en');
 * // 'Winner: converts better than control'
 */
export function verdictMessage(v: Verdict, lang: Lang): string {
  const ja = lang === 'ja';
  switch (v.verdict) {
    case 'winner':
      return ja ? '勝ち: コントロールより成果が高いと言えます' : 'Winner: converts better than control';
    case 'loser':
      return ja ? '負け: コントロールより成果が低いと言えます' : 'Loser: converts worse than control';
    case 'no_difference':
      return ja ? '有意な差なし: 実質的な差はほとんどありません' : 'No meaningful difference from control';
    case 'srm_problem':
      return ja
        ? '割付の偏り(SRM)あり: 配分が設定とずれているため、結果を信頼できません'
        : 'Sample ratio mismatch (SRM): traffic does not match the configured split, so results cannot be trusted';
    case 'keep_running': {
      const parts: string[] = [];
      if (v.moreVisitorsNeeded !== null) {
        const n = group(roundUpAbout(v.moreVisitorsNeeded));
        parts.push(ja ? `あと約 ${n} 人` : `about ${n} more visitors`);
      }
      if (v.moreDays !== null) {
        parts.push(ja ? `約 ${v.moreDays} 日` : `about ${v.moreDays} more ${v.moreDays === 1 ? 'day' : 'days'}`);
      }
      if (parts.length === 0) return ja ? '継続 (判断にはまだデータが足りません)' : 'Keep running (not enough data yet)';
      return ja ? `継続 (${parts.join('・')})` : `Keep running (${parts.join(', ')})`;
    }
  }
}
