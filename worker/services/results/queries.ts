/**
 * @module
 * The aggregate reads behind the results pages. Every query groups over the composite indexes
 * `exposures_experiment_arm_day` / `conversions_experiment_arm_day` (experiment_id, arm, day),
 * which hold every column the query touches: SQLite answers them from the index alone
 * ("USING COVERING INDEX"), in index order, so no rows are loaded into the worker and no sort
 * is needed. Both tables keep one row per (experiment, visitor), so COUNT(*) counts distinct
 * visitors without a DISTINCT.
 */
import type { ServiceContext } from '../context';

/** New exposures (or conversions) of one arm on one UTC day number. */
export interface DayCount {
  arm: string;
  day: number;
  n: number;
}

/** Exposed (or converted) visitors of one arm of one experiment. */
export interface ArmCount {
  experimentId: string;
  arm: string;
  n: number;
}

export const DAILY_SQL = {
  exposures: 'SELECT arm, day, COUNT(*) AS n FROM exposures WHERE experiment_id = ?1 GROUP BY arm, day',
  conversions: 'SELECT arm, day, COUNT(*) AS n FROM conversions WHERE experiment_id = ?1 GROUP BY arm, day',
} as const;

/** `?1` is a JSON array of experiment ids. */
export const ARM_TOTALS_SQL = {
  exposures:
    'SELECT experiment_id AS experimentId, arm, COUNT(*) AS n FROM exposures WHERE experiment_id IN (SELECT value FROM json_each(?1)) GROUP BY experiment_id, arm',
  conversions:
    'SELECT experiment_id AS experimentId, arm, COUNT(*) AS n FROM conversions WHERE experiment_id IN (SELECT value FROM json_each(?1)) GROUP BY experiment_id, arm',
} as const;

/** The statements for one experiment's daily counts, to run in one batch (with anything else). */
export function dailyStatements(d1: D1Database, experimentId: string): [D1PreparedStatement, D1PreparedStatement] {
  return [d1.prepare(DAILY_SQL.exposures).bind(experimentId), d1.prepare(DAILY_SQL.conversions).bind(experimentId)];
}

/**
 * Per-arm totals of several experiments at once: one batch, two statements.
 * @example const { exposures, conversions } = await armTotals(c.var.svc, ['exp_1', 'exp_2']);
 */
export async function armTotals(
  { d1 }: Pick<ServiceContext, 'd1'>,
  experimentIds: string[],
): Promise<{ exposures: ArmCount[]; conversions: ArmCount[] }> {
  if (experimentIds.length === 0) return { exposures: [], conversions: [] };
  const ids = JSON.stringify(experimentIds);
  const [exposures, conversions] = await d1.batch<ArmCount>([
    d1.prepare(ARM_TOTALS_SQL.exposures).bind(ids),
    d1.prepare(ARM_TOTALS_SQL.conversions).bind(ids),
  ]);
  return { exposures: exposures?.results ?? [], conversions: conversions?.results ?? [] };
}
