/**
 * @module
 * Propensity models as data (stored, compiled for segments, shown in the console) and the
 * request that trains one. Shared by the worker and the console.
 */
import { z } from 'zod';
import { EventType, slug } from './config';

export const FeatureSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('count'), key: z.string().min(1).max(200), days: z.number().int().min(1).max(365) }),
  z.object({ kind: z.literal('recency') }),
  z.object({ kind: z.literal('fit') }),
  z.object({ kind: z.literal('trait'), trait: z.string().min(1).max(64), value: z.string().max(200) }),
  z.object({ kind: z.literal('traitNumber'), trait: z.string().min(1).max(64) }),
]);

const Interval = z.tuple([z.number(), z.number()]);

export const PropensityModel = z.object({
  key: slug,
  name: z.string().min(1).max(100),
  /** The label: `event` within `days` days after a cut-off. */
  outcome: z.object({ event: EventType, days: z.number().int().min(1).max(90) }),
  features: z.array(FeatureSchema).max(200),
  /** On the standardized scale: log-odds = intercept + Σ weight × (x − mean) / sd. */
  coefficients: z.object({
    intercept: z.number(),
    weights: z.array(z.number()),
    means: z.array(z.number()),
    sds: z.array(z.number()),
  }),
  l2: z.number().positive(),
  metrics: z.object({
    train: z.object({ rows: z.number().int(), positives: z.number().int(), cutoff: z.string() }),
    holdout: z.object({ rows: z.number().int(), positives: z.number().int(), cutoff: z.string() }),
    auc: z.object({ auc: z.number(), ci: Interval, positives: z.number().int(), negatives: z.number().int() }).nullable(),
    lift: z.object({ lift: z.number(), ci: Interval, topRate: z.number(), baseRate: z.number() }).nullable(),
  }),
  verdict: z.discriminatedUnion('status', [
    z.object({ status: z.literal('usable') }),
    z.object({ status: z.literal('not_enough_data'), positives: z.number().int(), need: z.number().int() }),
    z.object({ status: z.literal('no_signal') }),
  ]),
  trainedAt: z.string(),
});
export type PropensityModel = z.infer<typeof PropensityModel>;

export const TrainRequest = z.object({
  key: slug,
  name: z.string().min(1).max(100),
  /** The outcome: e.g. `form_inquiry` within 30 days. */
  event: EventType,
  days: z.number().int().min(7).max(90).default(30),
  /** L2 penalty (1 / scikit-learn's C). */
  l2: z.number().min(0.001).max(1000).default(1),
});
export type TrainRequest = z.input<typeof TrainRequest>;
