/**
 * @module
 * Server-made visitor ids (identify rotates the browser's id): 24 characters of base64url,
 * 144 random bits, in the alphabet the public API accepts for visitor ids.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * @example newVisitorId() // "Qm3f_x9K0aZ-b1c2D3e4F5g6"
 */
export function newVisitorId(): string {
  // 64 symbols divide 256 evenly, so `byte & 63` is uniform.
  return Array.from(crypto.getRandomValues(new Uint8Array(24)), (b) => ALPHABET[b & 63]).join('');
}
