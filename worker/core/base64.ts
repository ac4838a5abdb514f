/**
 * @module
 * Base64 and base64url without per-byte garbage. The profile token is encoded and decoded on
 * every decide (docs/storage.md#read-your-writes), so `String.fromCharCode(...bytes)` and
 * `Uint8Array.from(text, fn)` — an iterator step and a boxed value per byte — were a fifth of
 * what a decide allocated; here bytes move in chunks and ASCII text (JSON almost always is)
 * skips the UTF-8 step.
 */

/** Bytes per `String.fromCharCode` call: well under any engine's argument limit. */
const CHUNK = 0x2000;
const ASCII = /^[\x00-\x7f]*$/;
const encoder = new TextEncoder();
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** One character per byte (what `btoa` takes). */
function binaryOf(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[]);
  }
  return out;
}

function bytesOfBinary(binary: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const toUrl = (b64: string) => b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const fromUrl = (b64url: string) => b64url.replace(/-/g, '+').replace(/_/g, '/');

/** @example bytesToBase64(new Uint8Array([251, 255])) // '+/8=' */
export const bytesToBase64 = (bytes: Uint8Array): string => btoa(binaryOf(bytes));

/** Throws on text that is not base64. @example base64ToBytes('+/8=') // Uint8Array [251, 255] */
export const base64ToBytes = (text: string): Uint8Array<ArrayBuffer> => bytesOfBinary(atob(text));

/** Unpadded base64url. @example bytesToBase64url(new Uint8Array([251, 255])) // '-_8' */
export const bytesToBase64url = (bytes: Uint8Array): string => toUrl(bytesToBase64(bytes));

/** Unpadded base64url of the text's UTF-8 bytes. @example textToBase64url('{"a":1}') // 'eyJhIjoxfQ' */
export function textToBase64url(text: string): string {
  return toUrl(ASCII.test(text) ? btoa(text) : bytesToBase64(encoder.encode(text)));
}

/**
 * The UTF-8 text of base64url (padded or not); throws on text that is not base64url or bytes
 * that are not UTF-8.
 * @example base64urlToText('eyJhIjoxfQ') // '{"a":1}'
 */
export function base64urlToText(b64url: string): string {
  const binary = atob(fromUrl(b64url));
  return ASCII.test(binary) ? binary : utf8.decode(bytesOfBinary(binary));
}
