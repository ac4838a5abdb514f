import { describe, expect, it } from 'vitest';
import { chooseArm, hashToUnit } from '../../worker/core/bucketing';
import cases from './cases/bucketing.json';

/** Synthetic visitor ids: sequential (worst case for weak hashes) and random-looking. */
const ids = (n: number, prefix = 'v_') =>
  Array.from({ length: n }, (_, i) => (i % 2 ? `${prefix}${i}` : `${prefix}${(i * 2654435761) % 4294967296}x${i}`));

/** χ² statistic of observed counts against expected counts. */
const chiSquare = (observed: number[], expected: number[]) =>
  observed.reduce((sum, o, i) => sum + (o - expected[i]!) ** 2 / expected[i]!, 0);

describe('hashToUnit', () => {
  it.each(cases.golden.cases)('($seed, $id) is pinned', ({ seed, id, unit }) => {
    expect(hashToUnit(seed, id)).toBe(unit);
  });

  it('stays in [0, 1)', () => {
    for (const id of ids(5000)) {
      const u = hashToUnit('exp', id);
      expect(u >= 0 && u < 1).toBe(true);
    }
  });

  it('is uniform: 20k ids into 10 buckets pass χ² (df 9, p > 0.001 → χ² < 27.88)', () => {
    for (const seed of ['exp_consideration_hero', 'a', '']) {
      const counts = new Array(10).fill(0);
      for (const id of ids(20_000)) counts[Math.floor(hashToUnit(seed, id) * 10)]++;
      expect(chiSquare(counts, new Array(10).fill(2000)), seed).toBeLessThan(27.88);
    }
  });

  it('is independent between seeds: a 10×10 table passes χ² (df 81, p > 0.001 → χ² < 124.8)', () => {
    const table = new Array(100).fill(0);
    for (const id of ids(20_000)) {
      table[Math.floor(hashToUnit('exp_1', id) * 10) * 10 + Math.floor(hashToUnit('exp_2', id) * 10)]++;
    }
    expect(chiSquare(table, new Array(100).fill(200))).toBeLessThan(124.8);
  });

  it('keeps seed and id apart ("ab"+"c" ≠ "a"+"bc")', () => {
    expect(hashToUnit('ab', 'c')).not.toBe(hashToUnit('a', 'bc'));
  });
});

describe('chooseArm', () => {
  it.each(cases.splits)('$name: 30k visitors split within ±0.01 of the weights', ({ arms, shares }) => {
    const counts = new Map<string, number>();
    const visitors = ids(30_000);
    for (const v of visitors) {
      const arm = chooseArm(arms, 'exp_consideration_hero', v)!;
      counts.set(arm.key, (counts.get(arm.key) ?? 0) + 1);
    }
    arms.forEach((arm, i) => {
      expect(Math.abs((counts.get(arm.key) ?? 0) / visitors.length - shares[i]!), arm.key).toBeLessThan(0.01);
      if (shares[i] === 0) expect(counts.get(arm.key)).toBeUndefined();
    });
  });

  it.each(cases.none)('$name → null', ({ arms }) => {
    expect(chooseArm(arms, 'exp', 'v_1')).toBeNull();
  });

  it('is sticky: same visitor and experiment → same arm, whatever the call order', () => {
    const arms = cases.splits[0]!.arms;
    const first = ids(200).map((v) => chooseArm(arms, 'exp', v)!.key);
    const again = ids(200)
      .reverse()
      .map((v) => chooseArm(arms, 'exp', v)!.key)
      .reverse();
    expect(again).toEqual(first);
  });

  it('returns the arm object itself, extra fields included', () => {
    const arms = [{ key: 'control', weight: 1, variant: null }];
    expect(chooseArm(arms, 'exp', 'v_1')).toBe(arms[0]);
  });

  it('depends on the experiment: the same visitor lands in different arms across experiments', () => {
    const arms = cases.splits[1]!.arms;
    const differ = ids(1000).filter((v) => chooseArm(arms, 'exp_1', v)!.key !== chooseArm(arms, 'exp_2', v)!.key);
    // Independent thirds differ 2/3 of the time.
    expect(differ.length / 1000).toBeGreaterThan(0.6);
    expect(differ.length / 1000).toBeLessThan(0.73);
  });
});
