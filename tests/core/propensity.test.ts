/**
 * Propensity models in the core: the Newton fit against scikit-learn's LogisticRegression and
 * the AUC against scikit-learn and scipy (tests/fixtures/propensity-reference.json, made by
 * scripts/propensity-reference.py), a synthetic population with a planted signal (the holdout
 * AUC within ±0.02 of the true model's), the verdict, features, and factors in words.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCORING_SETTINGS } from '../../worker/core/defaults';
import { chooseFeatures, featureValue, type Feature } from '../../worker/core/propensity/features';
import { describeFactor } from '../../worker/core/propensity/describe';
import { fitLogistic, logOdds, sigmoid } from '../../worker/core/propensity/logistic';
import { auc, topDecileLift, verdict } from '../../worker/core/propensity/metrics';
import { compileModel } from '../../worker/core/propensity/model';
import { siteCalendar } from '../../worker/core/zone';
import type { PropensityModel } from '../../worker/schema/propensity';
import reference from '../fixtures/propensity-reference.json';
import { ms, runBatches } from './helpers';
import { seededRandom } from '../../worker/core/random';

describe('logistic regression against scikit-learn', () => {
  it.each(reference.fits)('$name', ({ x, y, l2, intercept, weights, means }) => {
    const fit = fitLogistic(x, y, { l2 });
    expect(fit.converged).toBe(true);
    expect(fit.iterations).toBeLessThan(20);
    expect(fit.intercept).toBeCloseTo(intercept, 8);
    fit.weights.forEach((w, j) => {
      expect(w, `weight ${j}`).toBeCloseTo(weights[j]!, 8);
    });
    fit.means.forEach((m, j) => {
      expect(m).toBeCloseTo(means[j]!, 9);
    });
  });

  it('penalizes weights, not the intercept: a huge penalty leaves the base rate', () => {
    const { x, y } = reference.fits[0]!;
    const fit = fitLogistic(x, y, { l2: 1e9 });
    const rate = y.reduce((s, v) => s + v, 0) / y.length;
    expect(fit.weights.every((w) => Math.abs(w) < 1e-6)).toBe(true);
    expect(sigmoid(fit.intercept)).toBeCloseTo(rate, 6);
  });
});

describe('AUC and top-decile lift against scikit-learn and scipy', () => {
  it.each(reference.aucs)('$name', ({ scores, labels, auc: want, ci, lift }) => {
    const got = auc(scores, labels)!;
    expect(got.auc).toBeCloseTo(want, 12);
    expect(got.ci[0]).toBeCloseTo(ci[0]!, 5);
    expect(got.ci[1]).toBeCloseTo(ci[1]!, 5);
    const l = topDecileLift(scores, labels)!;
    expect(l.lift).toBeCloseTo(lift, 12);
    expect(l.ci[0]).toBeLessThanOrEqual(l.lift);
    expect(l.ci[1]).toBeGreaterThanOrEqual(l.lift);
    // Seeded: the same data give the same interval.
    expect(topDecileLift(scores, labels)!.ci).toEqual(l.ci);
  });

  it('is undefined without both classes', () => {
    expect(auc([0.1, 0.2], [0, 0])).toBeNull();
    expect(topDecileLift([0.1, 0.2], [0, 0])).toBeNull();
  });
});

/** A seeded population: three features, a known logit, Bernoulli outcomes. */
function population(n: number, seed: number) {
  const rand = seededRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const rows: number[][] = [];
  const labels: number[] = [];
  const truth: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = [Math.log1p(Math.floor(rand() * 6)), normal(), rand() < 0.3 ? 1 : 0, normal()];
    const p = sigmoid(-2.5 + 0.9 * x[0]! + 0.6 * x[1]! + 0.8 * x[2]!);
    rows.push(x);
    truth.push(p);
    labels.push(rand() < p ? 1 : 0);
  }
  return { rows, labels, truth };
}

describe('a planted signal is found', () => {
  const train = population(20_000, 1);
  const holdout = population(20_000, 2);
  const fit = fitLogistic(train.rows, train.labels, { l2: 1 });
  const scores = holdout.rows.map((x) => logOdds(fit, x));
  const found = auc(scores, holdout.labels)!;
  const best = auc(holdout.truth, holdout.labels)!;

  it('the holdout AUC is within ±0.02 of the true model', () => {
    expect(Math.abs(found.auc - best.auc)).toBeLessThan(0.02);
    expect(found.ci[0]).toBeGreaterThan(0.5);
  });

  it('recovers the planted weights (log-odds per unit), and none for the noise feature', () => {
    const perUnit = fit.weights.map((w, j) => w / fit.sds[j]!);
    expect(perUnit[0]).toBeCloseTo(0.9, 1);
    expect(perUnit[1]).toBeCloseTo(0.6, 1);
    expect(perUnit[2]).toBeCloseTo(0.8, 1);
    expect(Math.abs(perUnit[3]!)).toBeLessThan(0.08);
  });

  it('ranks: the top 10 % convert well above the base rate', () => {
    const lift = topDecileLift(scores, holdout.labels)!;
    expect(lift.lift).toBeGreaterThan(2);
    expect(lift.ci[0]).toBeGreaterThan(1.5);
    expect(verdict({ trainPositives: 1000, holdoutPositives: found.positives, auc: found })).toEqual({ status: 'usable' });
  });
});

describe('the verdict', () => {
  const good = { auc: 0.8, ci: [0.7, 0.9] as [number, number], positives: 50, negatives: 500 };
  it.each([
    { name: 'usable', m: { trainPositives: 40, holdoutPositives: 30, auc: good }, want: { status: 'usable' } },
    {
      name: 'too few converters in the holdout',
      m: { trainPositives: 40, holdoutPositives: 12, auc: good },
      want: { status: 'not_enough_data', positives: 12, need: 20 },
    },
    {
      name: 'too few in training',
      m: { trainPositives: 5, holdoutPositives: 30, auc: good },
      want: { status: 'not_enough_data', positives: 5, need: 20 },
    },
    {
      name: 'no better than chance',
      m: { trainPositives: 40, holdoutPositives: 30, auc: { ...good, ci: [0.45, 0.7] as [number, number] } },
      want: { status: 'no_signal' },
    },
  ])('$name', ({ m, want }) => {
    expect(verdict(m)).toEqual(want);
  });
});

describe('features and factors', () => {
  const now = ms('2026-07-01T03:00:00Z');
  const profile = runBatches([
    { events: [{ type: 'page_view', props: { category: 'pricing' }, at: '2026-06-20T01:00:00Z', repeat: 3, everySeconds: 60 }] },
    { events: [{ type: 'page_view', at: '2026-06-28T01:00:00Z' }] },
  ]).profile;
  const ctx = { profile, traits: { industry: 'SaaS', employees: '120', company: 'x' }, now, calendar: siteCalendar('UTC'), fit: 25 };

  it.each([
    [{ kind: 'count', key: 'page_view.category=pricing', days: 30 }, Math.log1p(3)],
    [{ kind: 'count', key: 'page_view.category=pricing', days: 7 }, 0],
    [{ kind: 'recency' }, Math.log1p(3)],
    [{ kind: 'fit' }, 25],
    [{ kind: 'trait', trait: 'industry', value: 'saas' }, 1],
    [{ kind: 'trait', trait: 'industry', value: 'it' }, 0],
    [{ kind: 'traitNumber', trait: 'employees' }, Math.log1p(120)],
    [{ kind: 'traitNumber', trait: 'missing' }, 0],
  ] as [Feature, number][])('%j → %d', (f, want) => {
    expect(featureValue(f, ctx)).toBeCloseTo(want, 12);
  });

  it('chooses counts, recency, fit, numeric traits and common values; never identifiers', () => {
    const rows = Array.from({ length: 100 }, (_, i) => ({ industry: i % 2 ? 'SaaS' : 'IT', employees: i, email: `p${i}@x.jp` }));
    expect(chooseFeatures(['login'], rows, true)).toEqual([
      { kind: 'count', key: 'login', days: 7 },
      { kind: 'count', key: 'login', days: 30 },
      { kind: 'recency' },
      { kind: 'fit' },
      { kind: 'traitNumber', trait: 'employees' },
      { kind: 'trait', trait: 'industry', value: 'it' },
      { kind: 'trait', trait: 'industry', value: 'saas' },
    ]);
  });

  const model: PropensityModel = {
    key: 'inquiry',
    name: 'Inquiry in 30 days',
    outcome: { event: 'form_inquiry', days: 30 },
    features: [
      { kind: 'count', key: 'page_view.category=pricing', days: 30 },
      { kind: 'trait', trait: 'industry', value: 'saas' },
      { kind: 'recency' },
      { kind: 'fit' },
    ],
    coefficients: { intercept: -2, weights: [0.8, 0.5, -0.3, 0], means: [0.5, 0.4, 2, 10], sds: [0.5, 0.5, 1, 5] },
    l2: 1,
    metrics: { train: { rows: 0, positives: 0, cutoff: '' }, holdout: { rows: 0, positives: 0, cutoff: '' }, auc: null, lift: null },
    verdict: { status: 'usable' },
    trainedAt: '',
  };

  it("gives a member's probability and the top 3 factors in log-odds against an average member", () => {
    const m = compileModel(model);
    const x = [Math.log1p(3), 1, Math.log1p(3), 25];
    const eta = -2 + (0.8 * (x[0]! - 0.5)) / 0.5 + (0.5 * 0.6) / 0.5 + (-0.3 * (x[2]! - 2)) / 1;
    expect(m.probability(ctx)).toBeCloseTo(1 / (1 + Math.exp(-eta)), 12);
    const factors = m.factors(ctx);
    expect(factors.map((f) => f.feature.kind)).toEqual(['count', 'trait', 'recency']);
    expect(factors[0]).toMatchObject({ value: 3 });
    expect(factors[0]!.contribution).toBeCloseTo((0.8 * (Math.log1p(3) - 0.5)) / 0.5, 12);
    expect(describeFactor(factors[0]!, 'en')).toBe('page_view (category = pricing) in the last 30 days: 3 (+1.42 log-odds)');
    expect(describeFactor(factors[0]!, 'ja')).toBe('直近30日の page_view (category = pricing)：3回（対数オッズ +1.42）');
    expect(describeFactor(factors[1]!, 'en')).toBe('industry = saas (+0.60 log-odds)');
    expect(describeFactor({ ...factors[1]!, value: 0, contribution: -0.4 }, 'ja')).toBe('industry が saas ではない（対数オッズ −0.40）');
    expect(describeFactor(factors[2]!, 'ja')).toBe('最終活動からの日数：3日（対数オッズ +0.18）');
    void DEFAULT_SCORING_SETTINGS;
  });
});
