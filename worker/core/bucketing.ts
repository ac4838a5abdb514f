/**
 * @module
 * Deterministic, sticky experiment assignment: a visitor id hashes to a point in [0, 1) per
 * experiment, and the point falls into an arm by cumulative weight. No state is needed to
 * show a returning visitor the same arm.
 */

/**
 * FNV-1a (32-bit) over UTF-16 code units. FNV alone mixes its last characters poorly (ids
 * that differ at the end land close together), hence the finalizer below.
 */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Avalanche step (the murmur3 fmix32 constants): every input bit flips about half the output. */
function finalize(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A well-mixed, deterministic point in [0, 1) for `id` under `seed` (e.g. an experiment id).
 * Different seeds give independent points, so one visitor's arms in two experiments are not
 * correlated.
 * @example hashToUnit('exp_consideration_hero', 'v_0123456789abcdef') // same value on every call
 */
export function hashToUnit(seed: string, id: string): number {
  // The separator keeps ("ab", "c") and ("a", "bc") apart.
  return finalize(fnv1a(`${seed}\u0000${id}`)) / 0x1_0000_0000;
}

/**
 * The arm a visitor is in. Weights are relative (normalized by their sum); an arm of weight 0
 * is never chosen; null when no arm has weight.
 * @example chooseArm([{key: 'control', weight: 0.5}, {key: 'a', weight: 0.5}], 'exp1', 'visitor1')?.key
 */
export function chooseArm<A extends { key: string; weight: number }>(arms: A[], experimentId: string, visitorId: string): A | null {
  const usable = arms.filter((a) => Number.isFinite(a.weight) && a.weight > 0);
  const total = usable.reduce((sum, a) => sum + a.weight, 0);
  if (total <= 0) return null;
  const point = hashToUnit(experimentId, visitorId) * total;
  let cumulative = 0;
  for (const arm of usable) {
    cumulative += arm.weight;
    if (point < cumulative) return arm;
  }
  // Floating-point sums can end a hair below `total`; the last arm owns that sliver.
  return usable[usable.length - 1] ?? null;
}
