/**
 * @module
 * Experiment statistics (docs/api.md#experiment-results): pure functions, no I/O. Each lives in its own file;
 * this barrel is what the routes and the admin import.
 */
export { wilsonInterval } from './wilson';
export { twoProportionZTest } from './ztest';
export { relativeUplift, type Uplift } from './uplift';
export { chanceToBeatControl } from './chance';
export { srmTest, SRM_ALPHA, SRM_MIN_VISITORS, type SrmResult } from './srm';
export { requiredVisitorsPerArm, DEFAULT_UPLIFT } from './sampleSize';
export {
  alwaysValid,
  alwaysValidHistory,
  type AlwaysValidOptions,
  type AlwaysValidResult,
  type Look,
} from './alwaysValid';
export {
  verdict,
  EQUIVALENCE_BAND,
  MIN_VISITORS_FOR_VERDICT,
  type Verdict,
  type VerdictKind,
  type VerdictInput,
  type ArmCounts,
} from './verdict';
export { verdictMessage, roundUpAbout, type Lang } from './messages';
export { cumulativeSeries, type DailyRow, type CumulativePoint, type ArmSeries } from './series';
export {
  computeExperimentResults,
  type ExperimentMeta,
  type ArmInput,
  type ExperimentResultsInput,
  type ExperimentResults,
  type ArmResult,
} from './results';
export { normalCdf, normalQuantile, chiSquareSf, gammaQ, logGamma, Z95 } from './special';
