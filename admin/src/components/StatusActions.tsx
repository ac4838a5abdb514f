/**
 * @module
 * Start / pause / resume / stop buttons for an experiment. Starting and resuming ask first, with
 * how long the test will take at the current traffic; stopping asks first (it is final).
 */
import type { Experiment } from '@worker/schema/config';
import { errorText } from '../lib/errors';
import { estimateSentence } from '../lib/estimateText';
import { loadEstimate, setExperimentStatus } from '../models/experimentsModel';
import { t } from '../i18n/catalogue';
import { announce, confirmAction } from '../models/uiModel';

export interface StatusActionsProps {
  experiment: Experiment;
}

export function StatusActions({ experiment: e }: StatusActionsProps) {
  const go = async (status: 'running' | 'paused' | 'stopped') => {
    if (status === 'stopped' && !(await confirmAction(t('experiments.confirmStop', { name: e.name || e.id }), t('experiments.stop'))))
      return;
    if (status === 'running') {
      const estimate = await loadEstimate(e.id).catch(() => null);
      const question = t(e.status === 'draft' ? 'estimate.confirmStart' : 'estimate.confirmResume', {
        name: e.name || e.id,
        estimate: estimateSentence(estimate),
      });
      if (!(await confirmAction(question, e.status === 'draft' ? t('experiments.start') : t('experiments.resume')))) return;
    }
    try {
      await setExperimentStatus(e.id, status);
      announce(t(`status.${status}`));
    } catch (err) {
      announce(errorText(err), 'error');
    }
  };
  return (
    <div class="row-actions">
      {(e.status === 'draft' || e.status === 'paused') && (
        <button type="button" class="btn btn-small btn-primary" onClick={() => go('running')}>
          {e.status === 'draft' ? t('experiments.start') : t('experiments.resume')}
        </button>
      )}
      {e.status === 'running' && (
        <button type="button" class="btn btn-small" onClick={() => go('paused')}>
          {t('experiments.pause')}
        </button>
      )}
      {e.status !== 'stopped' && (
        <button type="button" class="btn btn-small btn-danger-ghost" onClick={() => go('stopped')}>
          {t('experiments.stop')}
        </button>
      )}
    </div>
  );
}
