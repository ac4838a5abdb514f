/**
 * @module
 * How long an experiment will take, said before it starts: the visitors each arm needs to detect
 * the planned uplift (stats/sampleSize.ts), against how many visitors of the segment enter an
 * experiment per day now. Pure: the service reads the counts, this decides.
 *
 * Traffic is measured where it is most like this experiment's: new visitors per day entering
 * experiments on the same slot × segment (this one included, if it ran before a pause), else on
 * the segment in another slot, else the segment's active profiles per day (an upper bound: not
 * every active visitor sees this slot). The baseline conversion rate is the control's in earlier
 * experiments on the segment with the same goal, else an assumed 5 %.
 */
import type { Experiment } from '../schema/config';
import { DEFAULT_UPLIFT, requiredVisitorsPerArm } from './stats/sampleSize';
import { CONTROL_ARM } from './types';

/** Days of traffic the estimate looks back over, and the horizon a test should conclude within. */
export const ESTIMATE_WINDOW_DAYS = 28;
/** The rate assumed when the segment has no experiment with this goal to go by. */
export const ASSUMED_CVR = 0.05;
/** Control visitors needed before their conversion rate is trusted over the assumption. */
export const MIN_BASELINE_VISITORS = 200;

export type TrafficSource = 'slot' | 'segment' | 'activity';

export interface ExperimentEstimate {
  windowDays: number;
  /** Visitors entering the experiment per day (null: no traffic to go by). */
  perDay: number | null;
  trafficSource: TrafficSource | null;
  baselineCvr: number;
  baselineSource: 'experiments' | 'assumed';
  /** Relative uplift planned for (0.2 = 20 %). */
  uplift: number;
  requiredPerArm: number;
  /** Each arm's share of the traffic, visitors it already has, and visitors it still needs. */
  arms: { key: string; share: number; exposed: number; remaining: number }[];
  /** Days until every arm has its sample (0: it already has; null: no traffic to go by). */
  daysNeeded: number | null;
  withinHorizon: boolean;
}

type Plan = Pick<Experiment, 'id' | 'slot' | 'segment' | 'arms' | 'goal'>;

export interface EstimateInput {
  experiment: Plan;
  /** The site's experiments (to find those on the same segment, slot and goal). */
  experiments: Plan[];
  /** First exposures per site day within the window, per experiment. */
  enrollment: { experiment: string; day: number; n: number }[];
  /** Active profiles of the segment per site day within the window (segment history). */
  activity: { day: number; active: number }[];
  /** All-time visitors and conversions per experiment and arm. */
  counts: { experiment: string; arm: string; visitors: number; conversions: number }[];
  uplift?: number;
}

/** Visitors per day of one experiment: its first exposures over the days it was taking them. */
function rateOf(rows: { day: number; n: number }[]): number {
  if (!rows.length) return 0;
  const days = rows.map((r) => r.day);
  const span = Math.max(...days) - Math.min(...days) + 1;
  return rows.reduce((s, r) => s + r.n, 0) / span;
}

function traffic(input: EstimateInput): { perDay: number | null; source: TrafficSource | null } {
  const { experiment: e, experiments } = input;
  const best = (ids: string[]) => Math.max(0, ...ids.map((id) => rateOf(input.enrollment.filter((r) => r.experiment === id))));
  const onSegment = experiments.filter((x) => x.segment === e.segment);
  const sameSlot = best(onSegment.filter((x) => x.slot === e.slot).map((x) => x.id));
  if (sameSlot > 0) return { perDay: sameSlot, source: 'slot' };
  const segment = best(onSegment.map((x) => x.id));
  if (segment > 0) return { perDay: segment, source: 'segment' };
  const active = input.activity.filter((a) => a.active > 0);
  if (active.length) return { perDay: active.reduce((s, a) => s + a.active, 0) / input.activity.length, source: 'activity' };
  return { perDay: null, source: null };
}

const sameGoal = (a: Plan['goal'], b: Plan['goal']) => a.eventType === b.eventType && (a.goal ?? null) === (b.goal ?? null);

function baseline(input: EstimateInput): { cvr: number; source: 'experiments' | 'assumed' } {
  const { experiment: e } = input;
  const ids = new Set(input.experiments.filter((x) => x.segment === e.segment && sameGoal(x.goal, e.goal)).map((x) => x.id));
  let visitors = 0;
  let conversions = 0;
  for (const c of input.counts) {
    if (!ids.has(c.experiment) || c.arm !== CONTROL_ARM) continue;
    visitors += c.visitors;
    conversions += c.conversions;
  }
  if (visitors < MIN_BASELINE_VISITORS || conversions === 0) return { cvr: ASSUMED_CVR, source: 'assumed' };
  // Kept between 0.5 % and 50 %, so a lucky run never promises a quick test.
  return { cvr: Math.min(0.5, Math.max(0.005, conversions / visitors)), source: 'experiments' };
}

/**
 * @example
 *   estimateExperiment({experiment, experiments: [experiment], enrollment: [{experiment: 'exp_a', day: 100, n: 100}], activity: [], counts: []})
 *   // 2 arms at 50 %, 100 visitors/day, 5 % assumed: 8 158 per arm → daysNeeded 164
 */
export function estimateExperiment(input: EstimateInput): ExperimentEstimate {
  const uplift = input.uplift ?? DEFAULT_UPLIFT;
  const { perDay, source } = traffic(input);
  const base = baseline(input);
  const requiredPerArm = requiredVisitorsPerArm(base.cvr, uplift) ?? 0;
  const total = input.experiment.arms.reduce((s, a) => s + a.weight, 0);
  const arms = input.experiment.arms.map((a) => {
    const exposed = input.counts.find((c) => c.experiment === input.experiment.id && c.arm === a.key)?.visitors ?? 0;
    return { key: a.key, share: total > 0 ? a.weight / total : 0, exposed, remaining: Math.max(0, requiredPerArm - exposed) };
  });
  // An arm with no share takes no visitors (it is switched off), so it does not hold the test up.
  const live = arms.filter((a) => a.share > 0);
  let daysNeeded: number | null;
  if (!live.length) daysNeeded = null;
  else if (live.every((a) => a.remaining === 0)) daysNeeded = 0;
  else if (!perDay) daysNeeded = null;
  else daysNeeded = Math.max(...live.map((a) => Math.ceil(a.remaining / (a.share * perDay))));
  return {
    windowDays: ESTIMATE_WINDOW_DAYS,
    perDay,
    trafficSource: source,
    baselineCvr: base.cvr,
    baselineSource: base.source,
    uplift,
    requiredPerArm,
    arms,
    daysNeeded,
    withinHorizon: daysNeeded !== null && daysNeeded <= ESTIMATE_WINDOW_DAYS,
  };
}
