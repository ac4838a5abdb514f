/**
 * @module
 * Wilson score interval for a conversion rate (docs/api.md#experiment-results `ci`).
 */
import { assertCounts } from './counts';
import { Z95 } from './special';

/**
 * Wilson score interval for `conversions / visitors`.
 *
 * Wilson rather than the textbook p ± z·√(p(1−p)/n) because it stays inside [0, 1] and does
 * not collapse to a zero-width interval at 0 % or 100 % — exactly the small-sample cases a
 * fresh experiment shows. With no visitors nothing is known: [0, 1].
 *
 * @param z critical value; the default is Φ⁻¹(0.975) to full precision (95 %).
 * @example
 * wilsonInterval(50, 1000); // ≈ [0.0381, 0.0653]
 * wilsonInterval(0, 0);     // [0, 1]
 */
export function wilsonInterval(conversions: number, visitors: number, z: number = Z95): [number, number] {
  assertCounts(conversions, visitors);
  if (visitors === 0) return [0, 1];
  const n = visitors;
  const p = conversions / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // Clamp only float noise: at p = 0 the lower end is mathematically exactly 0.
  return [conversions === 0 ? 0 : Math.max(0, center - half), conversions === n ? 1 : Math.min(1, center + half)];
}
