/**
 * @module
 * Personalization lift: does showing a segment its own content convert better than the
 * generic page? Answered from the experiments themselves, whose `control` arm is exactly
 * "this segment, generic page", randomized against the personalized arms.
 *
 * Method:
 * 1. Per experiment, the **personalized** side pools every non-control arm (distinct exposed
 *    visitors and distinct converted visitors added up; each visitor is in one arm) and the
 *    **control** side is the control arm. Pooling measures "personalization as served",
 *    whichever variant a visitor drew. Experiments without a control arm have nothing generic
 *    to compare with and are left out.
 * 2. Per segment, and overall, the sides are summed over the included experiments, and
 *    each experiment is also reported on its own row.
 * 3. Each comparison uses the same statistics as the results page (docs/api.md#experiment-results): Wilson CI
 *    per side, relative lift personalized/control − 1 with a delta-method CI on the log ratio,
 *    the pooled two-proportion z-test p-value, and the Beta-posterior chance to beat control.
 *
 * Caveats the numbers carry (and the admin should say): a conversion is each experiment's own
 * goal, so a sum mixes goals; a visitor in two experiments (two slots) counts once in each; and
 * summing across experiments whose control share or base CVR differ can bias the pooled lift
 * (Simpson's paradox) — the per-experiment rows are the unbiased ones. These are fixed-horizon
 * statistics; the per-experiment verdicts on the results page are the peek-safe ones.
 */
import type { CompiledConfig } from '../../core/compile';
import { chanceToBeatControl, relativeUplift, twoProportionZTest, wilsonInterval, type Uplift } from '../../core/stats';
import type { Experiment } from '../../schema/config';
import type { ServiceContext } from '../context';
import { currentConfig } from './config';
import { CONTROL_ARM, goalLabel } from './experiment';
import { pair, rate, sig } from './format';
import { armTotals, type ArmCount } from './queries';

export interface LiftSide {
  visitors: number;
  conversions: number;
  cvr: number;
  ci: [number, number];
}

export interface LiftComparison {
  personalized: LiftSide;
  control: LiftSide;
  /** Relative lift of personalized over control, with its 95 % CI; null when control has no conversions or a side no visitors. */
  lift: Uplift | null;
  pValue: number | null;
  chanceToBeatControl: number | null;
}

export interface ExperimentLift extends LiftComparison {
  id: string;
  name: string;
  slot: string;
  segment: string;
  goal: string;
  status: Experiment['status'];
}

export interface SegmentLift extends LiftComparison {
  segment: string;
  name: string;
  experiments: string[];
}

export interface LiftReport {
  /** Which experiments were pooled: `running` (default) or `all` (every started experiment). */
  status: LiftScope;
  overall: LiftComparison & { experiments: string[] };
  segments: SegmentLift[];
  experiments: ExperimentLift[];
}

export type LiftScope = 'running' | 'all';

interface Counts {
  cP: number;
  nP: number;
  cC: number;
  nC: number;
}

const side = (conversions: number, visitors: number): LiftSide => ({
  visitors,
  conversions,
  cvr: rate(visitors > 0 ? conversions / visitors : 0),
  ci: pair(rate, wilsonInterval(conversions, visitors)),
});

/** The comparison for one set of summed counts (control = A, personalized = B). */
export function compare({ cP, nP, cC, nC }: Counts): LiftComparison {
  const uplift = relativeUplift(cC, nC, cP, nP);
  const p = twoProportionZTest(cC, nC, cP, nP);
  return {
    personalized: side(cP, nP),
    control: side(cC, nC),
    lift: uplift && { relative: rate(uplift.relative), ci: pair(rate, uplift.ci) },
    pValue: p === null ? null : sig(p),
    chanceToBeatControl: nC > 0 && nP > 0 ? rate(chanceToBeatControl(cC, nC, cP, nP)) : null,
  };
}

const add = (a: Counts, b: Counts): Counts => ({ cP: a.cP + b.cP, nP: a.nP + b.nP, cC: a.cC + b.cC, nC: a.nC + b.nC });
const ZERO: Counts = { cP: 0, nP: 0, cC: 0, nC: 0 };

/** The experiments a lift report pools: with a control arm, and running (or ever started, for `all`). */
export function liftExperiments(config: CompiledConfig, scope: LiftScope): Experiment[] {
  return config.source.experiments.filter(
    (e) => e.arms.some((a) => a.key === CONTROL_ARM) && (scope === 'all' ? e.status !== 'draft' : e.status === 'running'),
  );
}

/** Pure: per-arm totals → the lift report. */
export function computeLift(
  experiments: Experiment[],
  totals: { exposures: ArmCount[]; conversions: ArmCount[] },
  segmentNames: Map<string, string>,
  scope: LiftScope,
): LiftReport {
  const countOf = (rows: ArmCount[], id: string, arm: string) => rows.find((r) => r.experimentId === id && r.arm === arm)?.n ?? 0;
  const perExperiment = experiments.map((e) => {
    let counts = ZERO;
    // Configured arms only, as on the results page.
    for (const a of e.arms) {
      const n = countOf(totals.exposures, e.id, a.key);
      const c = countOf(totals.conversions, e.id, a.key);
      counts = add(counts, a.key === CONTROL_ARM ? { cP: 0, nP: 0, cC: c, nC: n } : { cP: c, nP: n, cC: 0, nC: 0 });
    }
    return { e, counts };
  });
  const bySegment = new Map<string, { ids: string[]; counts: Counts }>();
  for (const { e, counts } of perExperiment) {
    const s = bySegment.get(e.segment) ?? { ids: [], counts: ZERO };
    bySegment.set(e.segment, { ids: [...s.ids, e.id], counts: add(s.counts, counts) });
  }
  return {
    status: scope,
    overall: { experiments: experiments.map((e) => e.id), ...compare(perExperiment.reduce((s, x) => add(s, x.counts), ZERO)) },
    segments: [...bySegment].map(([segment, { ids, counts }]) => ({
      segment,
      name: segmentNames.get(segment) ?? segment,
      experiments: ids,
      ...compare(counts),
    })),
    experiments: perExperiment.map(({ e, counts }) => ({
      id: e.id,
      name: e.name,
      slot: e.slot,
      segment: e.segment,
      goal: goalLabel(e.goal),
      status: e.status,
      ...compare(counts),
    })),
  };
}

/**
 * Config (fresh stamp), then one batch of two grouped aggregates over every pooled experiment.
 * @example const report = await loadLift(c.var.svc, 'running');
 */
export async function loadLift(ctx: Pick<ServiceContext, 'd1' | 'db'>, scope: LiftScope): Promise<LiftReport> {
  const config = await currentConfig(ctx);
  const experiments = liftExperiments(config, scope);
  const totals = await armTotals(
    ctx,
    experiments.map((e) => e.id),
  );
  return computeLift(experiments, totals, config.segmentNames, scope);
}
