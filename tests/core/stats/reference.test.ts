/**
 * Every statistic against values computed independently with scipy
 * (`python3 scripts/stats-reference.py` → tests/fixtures/stats-reference.json).
 */
import { describe, expect, it } from 'vitest';
import ref from '../../fixtures/stats-reference.json';
import {
  alwaysValid,
  alwaysValidHistory,
  chanceToBeatControl,
  chiSquareSf,
  normalCdf,
  normalQuantile,
  relativeUplift,
  requiredVisitorsPerArm,
  srmTest,
  twoProportionZTest,
  wilsonInterval,
} from '../../../worker/core/stats';

/** |a − e| ≤ abs + rel·|e|: relative for tiny tail probabilities, absolute near 0. */
function expectClose(actual: number | null | undefined, expected: number | null, rel = 1e-6, abs = 1e-9) {
  if (expected === null) {
    expect(actual).toBeNull();
    return;
  }
  expect(actual).not.toBeNull();
  const err = Math.abs((actual as number) - expected);
  if (!(err <= abs + rel * Math.abs(expected))) {
    throw new Error(`expected ${actual} to be within ${abs} + ${rel}·|e| of ${expected} (off by ${err})`);
  }
}

function expectPairClose(actual: [number, number] | null | undefined, expected: number[] | null, rel = 1e-6, abs = 1e-9) {
  if (expected === null) {
    expect(actual).toBeNull();
    return;
  }
  expect(actual).toHaveLength(2);
  expectClose(actual![0], expected[0]!, rel, abs);
  expectClose(actual![1], expected[1]!, rel, abs);
}

describe('special functions', () => {
  it.each(ref.normalQuantile)('normalQuantile($p)', ({ p, z }) => expectClose(normalQuantile(p), z, 1e-12, 1e-13));
  it.each(ref.normalCdf)('normalCdf($x)', ({ x, p }) => expectClose(normalCdf(x), p, 1e-12, 1e-15));
  it.each(ref.chiSquareSf)('chiSquareSf($x, df $df)', ({ x, df, p }) => expectClose(chiSquareSf(x, df), p, 1e-10, 1e-15));
});

describe('wilsonInterval', () => {
  it.each(ref.wilson)('$conversions / $visitors', ({ conversions, visitors, ci }) =>
    expectPairClose(wilsonInterval(conversions, visitors), ci, 1e-9, 1e-12),
  );
});

describe.each(ref.pairs)('$label: A $cA/$nA vs B $cB/$nB', (c) => {
  it('twoProportionZTest (pooled, two-sided)', () => expectClose(twoProportionZTest(c.cA, c.nA, c.cB, c.nB), c.zTestP, 1e-9, 1e-12));

  it('relativeUplift (delta method on the log ratio)', () => {
    const u = relativeUplift(c.cA, c.nA, c.cB, c.nB);
    if (c.uplift === null) return expect(u).toBeNull();
    expectClose(u?.relative, c.uplift.relative, 1e-9, 1e-12);
    expectPairClose(u?.ci, c.uplift.ci, 1e-9, 1e-12);
  });

  it('chanceToBeatControl (exact sum vs scipy quadrature; contract asks ±0.005)', () => {
    // Far tighter than the contract's ±0.005: both sides are exact up to rounding.
    expectClose(chanceToBeatControl(c.cA, c.nA, c.cB, c.nB), c.chanceToBeatControl, 0, 1e-6);
  });

  it('alwaysValid (closed-form mSPRT vs quadrature of the mixture)', () => {
    const r = alwaysValid(c.cA, c.nA, c.cB, c.nB);
    if (c.alwaysValid === null) return expect(r).toBeNull();
    expectClose(r?.pValue, c.alwaysValid.pValue, 1e-6, 1e-12);
    expectPairClose(r?.diffCI, c.alwaysValid.diffCI, 1e-6, 1e-9);
    expectPairClose(r?.relativeCI, c.alwaysValid.relativeCI, 1e-6, 1e-9);
  });
});

describe('srmTest', () => {
  it.each(ref.srm)('$label', ({ visitors, weights, pValue, ok }) => {
    const r = srmTest(visitors, weights);
    expectClose(r.pValue, pValue, 1e-9, 1e-15);
    expect(r.ok).toBe(ok);
  });
});

describe('requiredVisitorsPerArm', () => {
  it.each(ref.sampleSize)('cvr $controlCvr, uplift $relativeUplift, α $alpha, power $power → $n', (c) => {
    expect(requiredVisitorsPerArm(c.controlCvr, c.relativeUplift, c.alpha, c.power)).toBe(c.n);
  });
});

describe('alwaysValidHistory', () => {
  it.each(ref.alwaysValidHistory)('$label', ({ looks, result }) => {
    const r = alwaysValidHistory(looks);
    expectClose(r?.pValue, result!.pValue, 1e-6, 1e-12);
    expectPairClose(r?.diffCI, result!.diffCI, 1e-6, 1e-9);
    expectPairClose(r?.relativeCI, result!.relativeCI, 1e-6, 1e-9);
  });
});
