/**
 * @module
 * One experiment's numbers, read in a single D1 batch (config stamp + daily exposures +
 * daily conversions, all from covering indexes) and shaped for the results page
 * (docs/api.md#experiment-results, via `computeExperimentResults`) and the daily chart (via `cumulativeSeries`).
 */
import {
  computeExperimentResults,
  cumulativeSeries,
  type ArmInput,
  type DailyRow,
  type ExperimentMeta,
  type ExperimentResults,
} from '../../core/stats';
import type { Experiment } from '../../schema/config';
import type { ServiceContext } from '../context';
import { configAt, parseVersion, versionStatement } from './config';
import { isoDate, visitorsPerDay } from './days';
import { rate } from './format';
import { dailyStatements, type DayCount } from './queries';

/** The arm that shows the page's default content (docs/api.md#segments-and-experiments). */
import { CONTROL_ARM } from '../../core/types';

export { CONTROL_ARM };

export interface ExperimentData {
  experiment: Experiment;
  meta: ExperimentMeta;
  /** Configured arms in configured order, with their totals (arms without visitors included). */
  arms: ArmInput[];
  /** New exposures / conversions per (configured arm, day number), days ascending. */
  daily: DailyRow[];
  /** New visitors per day at the current traffic; 0 when none is coming (see days.ts). */
  visitorsPerDay: number;
}

/** `form_inquiry`, or `conversion:<goal>` when the goal names one (docs/api.md#experiment-results shows the former). */
export function goalLabel(goal: Experiment['goal']): string {
  return goal.goal ? `${goal.eventType}:${goal.goal}` : goal.eventType;
}

export function experimentMeta(e: Experiment): ExperimentMeta {
  return { id: e.id, slot: e.slot, segment: e.segment, goal: goalLabel(e.goal), status: e.status };
}

/**
 * Reads everything a report on experiment `id` needs; null when no such experiment exists.
 * Rows for arms no longer in the configuration (an arm removed while paused) are left out: the
 * SRM check and the comparisons are about the split as configured.
 * @example const data = await loadExperimentData(c.var.svc, 'exp_hero');
 */
export async function loadExperimentData(ctx: Pick<ServiceContext, 'd1' | 'db' | 'now'>, id: string): Promise<ExperimentData | null> {
  const { d1 } = ctx;
  const [stamp, exposed, converted] = await d1.batch<any>([versionStatement(d1), ...dailyStatements(d1, id)]);
  const config = await configAt(ctx, parseVersion(stamp?.results[0]));
  const experiment = config.experimentsById.get(id);
  if (!experiment) return null;

  const order = new Map(experiment.arms.map((a, i) => [a.key, i]));
  const cells = new Map<string, DailyRow>();
  const cell = (arm: string, day: number) => {
    const key = `${arm}\u0000${day}`;
    let row = cells.get(key);
    if (!row) cells.set(key, (row = { day, arm, exposures: 0, conversions: 0 }));
    return row;
  };
  for (const r of (exposed?.results ?? []) as DayCount[]) if (order.has(r.arm)) cell(r.arm, r.day).exposures += r.n;
  for (const r of (converted?.results ?? []) as DayCount[]) if (order.has(r.arm)) cell(r.arm, r.day).conversions += r.n;
  const daily = [...cells.values()].sort((a, b) => (a.day as number) - (b.day as number) || order.get(a.arm)! - order.get(b.arm)!);

  const arms: ArmInput[] = experiment.arms.map((a) => ({
    key: a.key,
    weight: a.weight,
    isControl: a.key === CONTROL_ARM,
    visitors: 0,
    conversions: 0,
  }));
  const perDay = new Map<number, number>();
  for (const r of daily) {
    const arm = arms[order.get(r.arm)!]!;
    arm.visitors += r.exposures;
    arm.conversions += r.conversions;
    perDay.set(r.day as number, (perDay.get(r.day as number) ?? 0) + r.exposures);
  }
  return {
    experiment,
    meta: experimentMeta(experiment),
    arms,
    daily,
    visitorsPerDay: visitorsPerDay(perDay, ctx.now, experiment.status === 'running', config.calendar),
  };
}

/** docs/api.md#experiment-results, with every daily look feeding the peek-safe verdicts. */
export function experimentResults(data: ExperimentData): ExperimentResults {
  return computeExperimentResults({ experiment: data.meta, arms: data.arms, daily: data.daily, visitorsPerDay: data.visitorsPerDay });
}

export interface SeriesPoint {
  /** UTC date, `2026-11-20`. */
  date: string;
  /** Visitors first exposed that day. */
  exposures: number;
  /** Visitors who converted that day. */
  conversions: number;
  cumulativeVisitors: number;
  cumulativeConversions: number;
  /** Cumulative CVR (4 decimals); null until the arm has a visitor. */
  cumulativeCvr: number | null;
}

export interface ExperimentSeries {
  experiment: ExperimentMeta;
  /** Every UTC date from the first to the last with data, without gaps, so lines share one x-axis. */
  dates: string[];
  arms: { key: string; isControl: boolean; points: SeriesPoint[] }[];
}

/** Per arm per day: the new counts and the running totals the chart draws. */
export function experimentSeries(data: ExperimentData): ExperimentSeries {
  const days = data.daily.map((r) => r.day as number);
  const first = days.length ? Math.min(...days) : 0;
  const last = days.length ? Math.max(...days) : -1;
  // Zero rows for every (configured arm, calendar day) give cumulativeSeries the full grid:
  // quiet days and arms without visitors still get a point.
  const grid: DailyRow[] = [];
  for (let day = first; day <= last; day++) for (const a of data.arms) grid.push({ day, arm: a.key, exposures: 0, conversions: 0 });
  const fresh = new Map(data.daily.map((r) => [`${r.arm}\u0000${r.day}`, r]));
  const cumulative = new Map(cumulativeSeries([...grid, ...data.daily]).map((s) => [s.arm, s.points]));
  return {
    experiment: data.meta,
    dates: (cumulative.get(data.arms[0]?.key ?? '') ?? []).map((p) => isoDate(p.day as number)),
    arms: data.arms.map((a) => ({
      key: a.key,
      isControl: a.isControl,
      points: (cumulative.get(a.key) ?? []).map((p) => {
        const today = fresh.get(`${a.key}\u0000${p.day}`);
        return {
          date: isoDate(p.day as number),
          exposures: today?.exposures ?? 0,
          conversions: today?.conversions ?? 0,
          cumulativeVisitors: p.visitors,
          cumulativeConversions: p.conversions,
          cumulativeCvr: p.cvr === null ? null : rate(p.cvr),
        };
      }),
    })),
  };
}
