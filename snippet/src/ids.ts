/**
 * @module
 * Random ids for visitors and events: URL- and cookie-safe `[A-Za-z0-9_-]`, so they pass the
 * server's id checks as they are and never need escaping.
 */

/** 64 symbols: a random byte masked with 63 picks one without bias. */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

/** What the server accepts as a visitor id (CONTRACT §1: ≥ 16 chars). */
export const VISITOR_ID = /^[A-Za-z0-9_-]{16,64}$/;

/** Slot names, event kinds and categories are slugs on the server; anything else is dropped here. */
export const SLUG = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/**
 * A random id of `n` symbols (22 by default: 132 bits, as much as a UUID).
 * @example rid() // "q3V_0bX9kLr2-Zt7mPaa1Q"
 */
export function rid(n = 22): string {
  let bytes: Uint8Array | 0 = 0;
  try {
    bytes = crypto.getRandomValues(new Uint8Array(n));
  } catch {
    // Very old or locked-down browsers: Math.random is enough to keep visitors apart.
  }
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHABET[(bytes ? bytes[i]! : Math.random() * 64) & 63];
  return s;
}
