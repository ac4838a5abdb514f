/**
 * Why the verdicts use the always-valid statistics: a seeded A/A simulation of marketers who
 * open the results every day. Both arms convert at 5 %; any look with p < 0.05 is a false
 * winner. The naive fixed-horizon z-test, peeked daily, crosses 0.05 far more often than 5 %;
 * the mSPRT does not. Deterministic (seeded PRNG), so it cannot flake.
 */
import { describe, expect, it } from 'vitest';
import { alwaysValid, alwaysValidHistory, twoProportionZTest, type Look } from '../../../worker/core/stats';
import { seededRandom } from '../../../worker/core/random';

function binomial(rand: () => number, n: number, p: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (rand() < p) k++;
  return k;
}

const EXPERIMENTS = 200;
const DAYS = 30;
const PER_ARM_PER_DAY = 200;

/** Cumulative daily looks of one simulated experiment. */
function simulate(rand: () => number, pA: number, pB: number): Look[] {
  const looks: Look[] = [];
  let cA = 0;
  let cB = 0;
  for (let day = 1; day <= DAYS; day++) {
    cA += binomial(rand, PER_ARM_PER_DAY, pA);
    cB += binomial(rand, PER_ARM_PER_DAY, pB);
    looks.push({ cA, nA: day * PER_ARM_PER_DAY, cB, nB: day * PER_ARM_PER_DAY });
  }
  return looks;
}

describe('A/A simulation: 200 experiments × 30 daily looks × 200 visitors/arm/day at 5 %', () => {
  const rand = seededRandom(20261120);
  const runs = Array.from({ length: EXPERIMENTS }, () => simulate(rand, 0.05, 0.05));
  const rate = (flags: boolean[]) => flags.filter(Boolean).length / flags.length;

  const naive = rate(runs.map((looks) => looks.some((l) => twoProportionZTest(l.cA, l.nA, l.cB, l.nB)! < 0.05)));
  const safe = rate(runs.map((looks) => looks.some((l) => alwaysValid(l.cA, l.nA, l.cB, l.nB)!.pValue < 0.05)));

  it('the naive z-test peeked daily declares false winners well above 5 %', () => {
    expect(naive).toBeGreaterThan(0.1);
  });

  it('the always-valid p-value keeps the false-positive rate at or below 5 %', () => {
    expect(safe).toBeLessThanOrEqual(0.05);
  });

  it('the fixed-horizon z-test looked at once is still ~5 % (the simulation itself is fair)', () => {
    const once = rate(
      runs.map((looks) => twoProportionZTest(looks[DAYS - 1]!.cA, looks[DAYS - 1]!.nA, looks[DAYS - 1]!.cB, looks[DAYS - 1]!.nB)! < 0.05),
    );
    expect(once).toBeGreaterThan(0.01);
    expect(once).toBeLessThan(0.1);
  });

  it('the history variant agrees: running minimum below 0.05 exactly when some look was', () => {
    for (const looks of runs.slice(0, 50)) {
      const anyLook = looks.some((l) => alwaysValid(l.cA, l.nA, l.cB, l.nB)!.pValue < 0.05);
      expect(alwaysValidHistory(looks)!.pValue < 0.05).toBe(anyLook);
    }
  });
});

describe('A/B simulation: it is not just conservative — a real +30 % uplift is found', () => {
  it('detects 5 % → 6.5 % within 30 days in most experiments', () => {
    const rand = seededRandom(7);
    let found = 0;
    for (let i = 0; i < 100; i++) {
      if (alwaysValidHistory(simulate(rand, 0.05, 0.065))!.pValue < 0.05) found++;
    }
    expect(found).toBeGreaterThanOrEqual(50);
  });
});
