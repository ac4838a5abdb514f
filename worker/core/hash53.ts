/**
 * @module
 * A fast, non-cryptographic 53-bit string hash (cyrb53): short keys that tell apart the few
 * values one context holds (a token's event keys, a configuration's profile shape). Nothing
 * relies on it against an adversary: what it keys is signed, or compared by its full value too.
 */

/**
 * The 53-bit hash of `text` (UTF-16 code units), as a safe integer.
 * @example hash53('pv-1b9d6bcd').toString(36) // 11 or fewer base-36 characters
 */
export function hash53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
