/**
 * @module
 * How long an experiment will take at the current traffic, on its page before it starts (or
 * resumes): the days, why (sample per pattern, conversion rate, traffic and its source), and a
 * warning when it would run past 4 weeks. Read again whenever the saved plan changes.
 */
import type { ExperimentEstimate } from '@worker/core/experiment-estimate';
import type { Experiment } from '@worker/schema/config';
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { estimateDetails, estimateHeadline, estimateWarning } from '../lib/estimateText';
import { loadEstimate } from '../models/experimentsModel';
import { t } from '../i18n/catalogue';

export interface EstimateCardProps {
  experiment: Experiment;
}

export function EstimateCard({ experiment }: EstimateCardProps) {
  const estimate = useSignal<ExperimentEstimate | null>(null);
  const failed = useSignal(false);
  // The saved plan (arms and shares) is what the estimate is for.
  const plan = JSON.stringify([experiment.id, experiment.status, experiment.arms]);
  useEffect(() => {
    failed.value = false;
    loadEstimate(experiment.id)
      .then((e) => (estimate.value = e))
      .catch(() => (failed.value = true));
  }, [plan]);
  const e = estimate.value;
  const warning = e && estimateWarning(e);
  return (
    <section class="card" aria-labelledby="estimate-title" id="estimate" aria-busy={!e && !failed.value}>
      <h2 id="estimate-title">{t('estimate.title')}</h2>
      {failed.value && <p class="muted">{t('estimate.unknown')}</p>}
      {!e && !failed.value && <p class="muted">{t('common.loading')}</p>}
      {e && (
        <>
          <p class="strong" data-testid="estimate-days">
            {estimateHeadline(e)}
          </p>
          {estimateDetails(e).map((line) => (
            <p class="muted small" key={line}>
              {line}
            </p>
          ))}
          {warning && (
            <p class="banner banner-warn" role="status" data-testid="estimate-warning">
              {warning}
            </p>
          )}
        </>
      )}
    </section>
  );
}
