/**
 * @module
 * A stored propensity model, compiled once per configuration version: the probability of the
 * outcome for a profile now, and the factors behind it — each feature's contribution in
 * log-odds against an average member (weight × how far the member is from the mean, in sds),
 * the three largest by size.
 */
import type { PropensityModel } from '../../schema/propensity';
import { featureVector, type Feature, type FeatureContext } from './features';
import { logOdds, sigmoid } from './logistic';

export interface Factor {
  feature: Feature;
  /** The member's value in the feature's own unit (a count, days, points, 1/0 for a trait value). */
  value: number;
  /** Log-odds this feature adds against an average member (negative: takes away). */
  contribution: number;
}

export interface CompiledModel {
  model: PropensityModel;
  probability(ctx: FeatureContext): number;
  factors(ctx: FeatureContext, count?: number): Factor[];
}

/** A feature's value back in its own unit (counts and sizes are stored as log(1 + x)). */
export function naturalValue(f: Feature, x: number): number {
  return f.kind === 'count' || f.kind === 'recency' || f.kind === 'traitNumber' ? Math.round(Math.expm1(x)) : x;
}

/**
 * @example compileModel(model).probability({profile, traits, now, calendar, fit}) // 0.27
 */
export function compileModel(model: PropensityModel): CompiledModel {
  const { features, coefficients } = model;
  return {
    model,
    probability: (ctx) => sigmoid(logOdds(coefficients, featureVector(features, ctx))),
    factors(ctx, count = 3) {
      const x = featureVector(features, ctx);
      return features
        .map((feature, j) => ({
          feature,
          value: naturalValue(feature, x[j]!),
          contribution: (coefficients.weights[j]! * (x[j]! - coefficients.means[j]!)) / coefficients.sds[j]!,
        }))
        .filter((f) => Math.abs(f.contribution) > 1e-9)
        .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
        .slice(0, count);
    },
  };
}
