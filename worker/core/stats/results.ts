/**
 * @module
 * Everything the results page shows for one experiment, in the docs/api.md#experiment-results shape, from
 * per-arm totals (and optionally the daily series). Pure: the route reads the counts from D1
 * and hands them here.
 */
import { alwaysValidHistory, type Look } from './alwaysValid';
import { chanceToBeatControl } from './chance';
import { verdictMessage } from './messages';
import { DEFAULT_UPLIFT, requiredVisitorsPerArm } from './sampleSize';
import { cumulativeSeries, type DailyRow } from './series';
import { srmTest, type SrmResult } from './srm';
import { relativeUplift, type Uplift } from './uplift';
import { verdict, type VerdictKind } from './verdict';
import { wilsonInterval } from './wilson';
import { twoProportionZTest } from './ztest';

export interface ExperimentMeta {
  id: string;
  slot: string;
  segment: string | null;
  goal: string;
  status: string;
}

export interface ArmInput {
  key: string;
  weight: number;
  isControl: boolean;
  /** Distinct exposed visitors. */
  visitors: number;
  /** Distinct converted visitors. */
  conversions: number;
}

export interface ExperimentResultsInput {
  experiment: ExperimentMeta;
  arms: ArmInput[];
  /** Daily new exposures / conversions per arm (arm = arm key); enables the peek-safe running minimum. */
  daily?: DailyRow[];
  /** Experiment-wide new visitors per day; when absent it is the mean of the last ≤ 7 days of `daily`. */
  visitorsPerDay?: number | null;
}

export interface ArmResult {
  key: string;
  isControl: boolean;
  weight: number;
  visitors: number;
  conversions: number;
  /** conversions / visitors; 0 when there are no visitors (the `ci` [0, 1] then says "unknown"). */
  cvr: number;
  ci: [number, number];
  uplift: Uplift | null;
  pValue: number | null;
  chanceToBeatControl: number | null;
  /** Peek-safe results vs control: p-value, CI for the difference (absolute), CI for the relative uplift. */
  alwaysValid: { pValue: number; ci: [number, number]; relativeCi: [number, number] | null } | null;
  verdict: VerdictKind | null;
  moreVisitorsNeeded: number | null;
  moreDays: number | null;
  message: { ja: string; en: string } | null;
}

export interface ExperimentResults {
  experiment: ExperimentMeta;
  arms: ArmResult[];
  srm: SrmResult;
  enoughData: boolean;
  requiredVisitorsPerArm: number | null;
  visitorsPerDay: number | null;
}

/** Rates to 4 decimals (0.01 percentage point), as in the contract's example. */
const rate = (x: number) => Math.round(x * 1e4) / 1e4;
/** Absolute differences are small (0.3 pp = 0.003), so they keep 6 decimals. */
const diff = (x: number) => Math.round(x * 1e6) / 1e6;
/** p-values to 4 significant digits: a p of 3e-9 must not round to 0. */
const sig = (x: number) => (x === 0 ? 0 : Number(x.toPrecision(4)));
const pair = (f: (x: number) => number, [a, b]: [number, number]): [number, number] => [f(a), f(b)];

/** The control: the arm flagged isControl, else the one keyed `control`, else the first. */
function controlIndex(arms: ArmInput[]): number {
  const flagged = arms.findIndex((a) => a.isControl);
  if (flagged >= 0) return flagged;
  const keyed = arms.findIndex((a) => a.key === 'control');
  return Math.max(keyed, 0);
}

function meanDailyVisitors(daily: DailyRow[]): number | null {
  const perDay = new Map<number | string, number>();
  for (const r of daily) perDay.set(r.day, (perDay.get(r.day) ?? 0) + r.exposures);
  const days = [...perDay.keys()].sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : 1));
  const last = days.slice(-7);
  if (last.length === 0) return null;
  return last.reduce<number>((s, d) => s + perDay.get(d)!, 0) / last.length;
}

/**
 * Results for one experiment (docs/api.md#experiment-results), numbers rounded for display (rates 4 decimals,
 * differences 6, p-values 4 significant digits); the functions it calls are unrounded.
 *
 * - Control's comparison fields (uplift, pValue, chanceToBeatControl, alwaysValid, verdict,
 *   message) are null; so are an arm's when it or control has no visitors.
 * - `requiredVisitorsPerArm` plans for the largest |relative uplift| observed among the
 *   non-control arms (the difference the experiment will most likely be decided on), or 20 %
 *   when none is observed; null when control's CVR is 0 or 100 %.
 * - `enoughData`: every arm with weight > 0 has at least `requiredVisitorsPerArm` visitors
 *   (paused arms get no more traffic, so they are not waited for); false when that is null.
 * - Verdicts use the always-valid results over the daily cumulative looks when `daily` is
 *   given (else the current totals only), and become `srm_problem` when the SRM check fails.
 *
 * @example
 * computeExperimentResults({
 *   experiment: { id: 'e1', slot: 'hero', segment: 'consideration', goal: 'form_inquiry', status: 'running' },
 *   arms: [
 *     { key: 'control', isControl: true, weight: 0.5, visitors: 1000, conversions: 50 },
 *     { key: 'case_a', isControl: false, weight: 0.5, visitors: 990, conversions: 72 },
 *   ],
 * }).arms[1].pValue; // ≈ 0.034
 */
export function computeExperimentResults(input: ExperimentResultsInput): ExperimentResults {
  const { arms } = input;
  const ci = controlIndex(arms);
  const control = arms[ci];
  const srm = srmTest(
    arms.map((a) => a.visitors),
    arms.map((a) => a.weight),
  );
  const totalWeight = arms.reduce((s, a) => s + Math.max(a.weight, 0), 0);
  const visitorsPerDay = input.visitorsPerDay ?? (input.daily ? meanDailyVisitors(input.daily) : null);
  const series = input.daily ? new Map(cumulativeSeries(input.daily).map((s) => [s.arm, s.points])) : null;

  let largestUplift = 0;
  const out: ArmResult[] = arms.map((a, i) => {
    const base = {
      key: a.key,
      isControl: i === ci,
      weight: a.weight,
      visitors: a.visitors,
      conversions: a.conversions,
      cvr: rate(a.visitors > 0 ? a.conversions / a.visitors : 0),
      ci: pair(rate, wilsonInterval(a.conversions, a.visitors)),
    };
    const none = {
      uplift: null,
      pValue: null,
      chanceToBeatControl: null,
      alwaysValid: null,
      verdict: null,
      moreVisitorsNeeded: null,
      moreDays: null,
      message: null,
    };
    if (i === ci || !control) return { ...base, ...none };
    const [cA, nA, cB, nB] = [control.conversions, control.visitors, a.conversions, a.visitors];
    const uplift = relativeUplift(cA, nA, cB, nB);
    if (uplift && Number.isFinite(uplift.relative)) largestUplift = Math.max(largestUplift, Math.abs(uplift.relative));
    const looks: Look[] = [];
    const cs = series?.get(control.key);
    const bs = series?.get(a.key);
    if (cs && bs) cs.forEach((p, d) => looks.push({ cA: p.conversions, nA: p.visitors, cB: bs[d]!.conversions, nB: bs[d]!.visitors }));
    const lastLook = looks[looks.length - 1];
    if (!lastLook || lastLook.cA !== cA || lastLook.nA !== nA || lastLook.cB !== cB || lastLook.nB !== nB) {
      looks.push({ cA, nA, cB, nB });
    }
    const av = alwaysValidHistory(looks);
    const v = verdict({
      control,
      arm: a,
      totalWeight,
      alwaysValid: av,
      srmOk: srm.ok,
      visitorsPerDay,
    });
    const empty = nA === 0 || nB === 0;
    const z = twoProportionZTest(cA, nA, cB, nB);
    return {
      ...base,
      uplift: uplift && { relative: rate(uplift.relative), ci: pair(rate, uplift.ci) },
      pValue: z === null ? null : sig(z),
      chanceToBeatControl: empty ? null : rate(chanceToBeatControl(cA, nA, cB, nB)),
      alwaysValid: av && {
        pValue: sig(av.pValue),
        ci: pair(diff, av.diffCI),
        relativeCi: av.relativeCI && pair(rate, av.relativeCI),
      },
      ...v,
      message: { ja: verdictMessage(v, 'ja'), en: verdictMessage(v, 'en') },
    };
  });

  const controlCvr = control && control.visitors > 0 ? control.conversions / control.visitors : 0;
  const required = requiredVisitorsPerArm(controlCvr, largestUplift > 0 ? largestUplift : DEFAULT_UPLIFT);
  const enoughData = required !== null && arms.every((a) => !(a.weight > 0) || a.visitors >= required);
  return {
    experiment: input.experiment,
    arms: out,
    srm: { pValue: srm.pValue === null ? null : sig(srm.pValue), ok: srm.ok },
    enoughData,
    requiredVisitorsPerArm: required,
    visitorsPerDay,
  };
}
