/**
 * @module
 * How good a propensity model is on its holdout: AUC (the chance a random converter is ranked
 * above a random non-converter) with Hanley & McNeil's interval, top-decile lift (the
 * conversion rate of the 10 % ranked highest over the overall rate) with a seeded Poisson
 * bootstrap interval, and a plain verdict.
 */
import { seededRandom } from '../random';

export interface AucResult {
  auc: number;
  ci: [number, number];
  positives: number;
  negatives: number;
}

/**
 * AUC from ranks (Mann–Whitney U; ties count one half), with the 95 % interval of Hanley &
 * McNeil (1982): SE² = (A(1−A) + (n₊−1)(Q₁−A²) + (n₋−1)(Q₂−A²)) / (n₊n₋), Q₁ = A/(2−A),
 * Q₂ = 2A²/(1+A). Null when one class is missing.
 * @example auc([0.9, 0.8, 0.3, 0.1], [1, 0, 1, 0])?.auc // 0.75
 */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>): AucResult | null {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (!labels[order[k]!]) continue;
      rankSum += rank;
      positives++;
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return null;
  const a = (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
  const q1 = a / (2 - a);
  const q2 = (2 * a * a) / (1 + a);
  const se = Math.sqrt(
    Math.max(0, (a * (1 - a) + (positives - 1) * (q1 - a * a) + (negatives - 1) * (q2 - a * a)) / (positives * negatives)),
  );
  return { auc: a, ci: [Math.max(0, a - 1.959964 * se), Math.min(1, a + 1.959964 * se)], positives, negatives };
}

/** A Poisson(1) draw (Knuth's method: fine for a mean of 1). */
function poisson1(rand: () => number): number {
  const limit = Math.exp(-1);
  let k = 0;
  let p = rand();
  while (p > limit) {
    k++;
    p *= rand();
  }
  return k;
}

export interface LiftResult {
  lift: number;
  ci: [number, number];
  /** Conversion rate among the top 10 % and overall. */
  topRate: number;
  baseRate: number;
}

/** Lift of the top decile for rows in score order (highest first) with weights. */
function liftOf(sortedLabels: Uint8Array, weights: Float64Array | null): number | null {
  let total = 0;
  let pos = 0;
  for (let i = 0; i < sortedLabels.length; i++) {
    const w = weights ? weights[i]! : 1;
    total += w;
    pos += w * sortedLabels[i]!;
  }
  if (total === 0 || pos === 0) return null;
  const cut = total / 10;
  let taken = 0;
  let topPos = 0;
  for (let i = 0; i < sortedLabels.length && taken < cut; i++) {
    const w = Math.min(weights ? weights[i]! : 1, cut - taken);
    taken += w;
    topPos += w * sortedLabels[i]!;
  }
  return topPos / taken / (pos / total);
}

/**
 * Top-decile lift and its 95 % percentile interval over `replicates` Poisson bootstrap
 * resamples (seeded: the same data give the same interval). The 10 % is by weight, so a tie at
 * the cut is taken in part. Null without any converter.
 * @example topDecileLift(scores, labels)?.lift // 3.1: the top 10 % convert 3.1 times as often
 */
export function topDecileLift(scores: ArrayLike<number>, labels: ArrayLike<number>, replicates = 300, seed = 20261201): LiftResult | null {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  const sorted = Uint8Array.from(order, (i) => (labels[i] ? 1 : 0));
  const lift = liftOf(sorted, null);
  if (lift === null) return null;
  const rand = seededRandom(seed);
  const draws: number[] = [];
  const weights = new Float64Array(n);
  for (let r = 0; r < replicates; r++) {
    for (let i = 0; i < n; i++) weights[i] = poisson1(rand);
    const l = liftOf(sorted, weights);
    if (l !== null) draws.push(l);
  }
  draws.sort((a, b) => a - b);
  const at = (q: number) => draws[Math.min(draws.length - 1, Math.max(0, Math.floor(q * (draws.length - 1))))] ?? lift;
  const positives = sorted.reduce((s, v) => s + v, 0);
  const top = Math.ceil(n / 10);
  let topPos = 0;
  for (let i = 0; i < top; i++) topPos += sorted[i]!;
  return { lift, ci: [at(0.025), at(0.975)], topRate: topPos / top, baseRate: positives / n };
}

/** Fewest converters, in training and in the holdout, for a model to be judged at all. */
export const MIN_POSITIVES = 20;

export type Verdict = { status: 'usable' } | { status: 'not_enough_data'; positives: number; need: number } | { status: 'no_signal' };

/**
 * "usable", or why not: too few converters to judge (in the smaller of training and holdout),
 * or a holdout AUC whose interval reaches 0.5 (no better than chance).
 * @example verdict({trainPositives: 140, holdoutPositives: 12, auc: {auc: 0.8, ci: [0.7, 0.9]}}) // {status: 'not_enough_data', positives: 12, need: 20}
 */
export function verdict(m: { trainPositives: number; holdoutPositives: number; auc: AucResult | null }): Verdict {
  const positives = Math.min(m.trainPositives, m.holdoutPositives);
  if (positives < MIN_POSITIVES) return { status: 'not_enough_data', positives, need: MIN_POSITIVES };
  if (!m.auc || m.auc.ci[0] <= 0.5) return { status: 'no_signal' };
  return { status: 'usable' };
}
