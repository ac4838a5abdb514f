/**
 * @module
 * A seeded pseudo-random generator (mulberry32): the same seed gives the same sequence on every
 * run and machine, so a bootstrap interval, a simulation or a generated data set reproduces.
 * Never for anything a visitor or an attacker could exploit (ids and secrets use `crypto`).
 */

/**
 * Uniform numbers in [0, 1) from a 32-bit seed.
 * @example
 *   const rand = seededRandom(7);
 *   rand(); // the same first number on every run
 */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
