/**
 * @module
 * Input checking shared by the statistics: counts must be non-negative integers with
 * conversions ≤ visitors. A bad count is a bug upstream (a query returning the wrong
 * column), so it throws instead of producing a plausible-looking wrong answer.
 */

/**
 * Throws a RangeError unless `conversions` and `visitors` are integers with
 * 0 ≤ conversions ≤ visitors.
 *
 * @example
 * assertCounts(3, 10); // ok
 * assertCounts(11, 10); // throws RangeError
 */
export function assertCounts(conversions: number, visitors: number): void {
  if (!Number.isInteger(conversions) || !Number.isInteger(visitors) || conversions < 0 || conversions > visitors) {
    throw new RangeError(`expected integers 0 ≤ conversions ≤ visitors, got ${conversions}/${visitors}`);
  }
}
