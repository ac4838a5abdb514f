/**
 * @module
 * `GET /api/experiments/:id/estimate`: reads what the estimate needs — new visitors per site day
 * entering experiments on the segment (the window only), all-time visitors and conversions per
 * arm of those experiments, and the segment's active profiles per day — in one D1 batch plus the
 * segment history read, then lets the pure estimator decide.
 */
import { type ExperimentEstimate, ESTIMATE_WINDOW_DAYS, estimateExperiment } from '../../core/experiment-estimate';
import type { Experiment } from '../../schema/config';
import { currentConfig } from '../config-store';
import type { ServiceContext } from '../context';
import { readHistory } from '../segment-history';

const IN_IDS = 'experiment_id IN (SELECT value FROM json_each(?1))';

/**
 * @example const estimate = await estimateFor(c.var.svc, experiment);
 */
export async function estimateFor(ctx: Pick<ServiceContext, 'd1' | 'db' | 'now'>, experiment: Experiment): Promise<ExperimentEstimate> {
  const { d1, now } = ctx;
  const config = await currentConfig(ctx);
  const experiments = config.source.experiments.filter((e) => e.segment === experiment.segment);
  const ids = JSON.stringify([...new Set([experiment.id, ...experiments.map((e) => e.id)])]);
  const today = config.calendar.dayOf(now);
  const from = today - ESTIMATE_WINDOW_DAYS;
  const [enrollment, exposed, converted] = await d1.batch<Record<string, unknown>>([
    d1
      .prepare(
        `SELECT experiment_id AS experiment, day, COUNT(*) AS n FROM exposures WHERE ${IN_IDS} AND day >= ?2 AND day < ?3 GROUP BY experiment_id, day`,
      )
      .bind(ids, from, today),
    d1
      .prepare(`SELECT experiment_id AS experiment, arm, COUNT(*) AS n FROM exposures WHERE ${IN_IDS} GROUP BY experiment_id, arm`)
      .bind(ids),
    d1
      .prepare(`SELECT experiment_id AS experiment, arm, COUNT(*) AS n FROM conversions WHERE ${IN_IDS} GROUP BY experiment_id, arm`)
      .bind(ids),
  ]);
  const history = (await readHistory(ctx, from, today)).get(experiment.segment) ?? [];
  const rows = <T>(r: D1Result<Record<string, unknown>> | undefined) => (r?.results ?? []) as T[];
  const conversions = rows<{ experiment: string; arm: string; n: number }>(converted);
  return estimateExperiment({
    experiment,
    experiments: [experiment, ...experiments.filter((e) => e.id !== experiment.id)],
    enrollment: rows(enrollment),
    activity: history.map((h) => ({ day: h.day, active: h.active })),
    counts: rows<{ experiment: string; arm: string; n: number }>(exposed).map((r) => ({
      experiment: r.experiment,
      arm: r.arm,
      visitors: r.n,
      conversions: conversions.find((c) => c.experiment === r.experiment && c.arm === r.arm)?.n ?? 0,
    })),
  });
}
