/**
 * @module
 * An experiment's duration estimate in the marketer's words: the headline (days, done, or no
 * traffic yet), the reasons (sample per pattern at which conversion rate, the traffic it counts
 * on and where that number comes from) and the warning when it will not conclude in 4 weeks.
 */
import type { ExperimentEstimate } from '@worker/core/experiment-estimate';
import { fmt, t } from '../i18n/catalogue';

/** @example estimateHeadline({daysNeeded: 164, …}) // '現在のトラフィックでは、結論が出るまで約 164 日かかる見込みです。' */
export function estimateHeadline(e: ExperimentEstimate): string {
  if (e.daysNeeded === 0) return t('estimate.done');
  if (e.daysNeeded === null) return t('estimate.none');
  return t('estimate.days', { count: e.daysNeeded });
}

/** The sentences behind the number (none when there is nothing to go by). */
export function estimateDetails(e: ExperimentEstimate): string[] {
  if (e.daysNeeded === null && e.perDay === null) return [];
  const out = [
    t('estimate.need', {
      uplift: fmt.percent(e.uplift),
      required: fmt.number(e.requiredPerArm),
      cvr: fmt.percent(e.baselineCvr),
      cvrSource: t(`estimate.cvr.${e.baselineSource}`),
    }),
  ];
  const remaining = Math.max(0, ...e.arms.filter((a) => a.share > 0).map((a) => a.remaining));
  if (e.arms.some((a) => a.exposed > 0)) out.push(t('estimate.remaining', { remaining: fmt.number(remaining) }));
  if (e.perDay !== null && e.trafficSource) {
    out.push(
      t('estimate.traffic', { perDay: fmt.number(e.perDay, 1), source: t(`estimate.source.${e.trafficSource}`, { window: e.windowDays }) }),
    );
  }
  return out;
}

/** The warning, when the test would run past the horizon. */
export const estimateWarning = (e: ExperimentEstimate) => (e.daysNeeded !== null && !e.withinHorizon ? t('estimate.long') : null);

/** One sentence for the start confirmation. */
export const estimateSentence = (e: ExperimentEstimate | null) =>
  e ? [estimateHeadline(e), estimateWarning(e)].filter(Boolean).join(' ') : t('estimate.unknown');
