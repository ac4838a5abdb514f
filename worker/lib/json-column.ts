/**
 * @module
 * Reads a JSON text column: a missing, empty or corrupt value gives the fallback instead of
 * an exception, so one bad row can never take a request down.
 */

/**
 * @example
 *   const traits = parseJsonColumn<Traits>(row.traits, {});
 */
export function parseJsonColumn<T>(text: unknown, fallback: T): T {
  if (typeof text !== 'string' || !text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}
