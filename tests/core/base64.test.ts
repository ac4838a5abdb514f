/**
 * worker/core/base64.ts against Node's own Buffer codec (an independent implementation), on a
 * table of texts (ASCII JSON, Japanese, emoji, empty) and on random bytes of many lengths,
 * including lengths past one `String.fromCharCode` chunk.
 */
import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { base64ToBytes, base64urlToText, bytesToBase64, bytesToBase64url, textToBase64url } from '../../worker/core/base64';
import { seededRandom } from '../../worker/core/random';

const texts: [string, string][] = [
  ['empty', ''],
  ['ASCII JSON (a profile token)', '{"v":"visitor-0001","t":1796200895234,"s":35,"w":{"page_view.category=pricing":[2,5]}}'],
  ['characters base64 turns into + and /', '\u00fb\u00ff\u00fe>?'],
  ['Japanese traits', '{"industry":"製造業","company":"株式会社ダシワケ ①㈱"}'],
  ['emoji (4-byte UTF-8)', 'hot lead 🔥🚀'],
  ['one, two and three bytes left over', 'a'],
  ['two left over', 'ab'],
  ['none left over', 'abc'],
];

describe('base64', () => {
  it.each(texts)('text ↔ base64url: %s', (_, text) => {
    const encoded = textToBase64url(text);
    expect(encoded).toBe(Buffer.from(text, 'utf8').toString('base64url'));
    expect(base64urlToText(encoded)).toBe(text);
    // Padded base64url decodes too.
    expect(base64urlToText(encoded + '='.repeat((4 - (encoded.length % 4)) % 4))).toBe(text);
  });

  it('random bytes of lengths 0–40 and around the chunk size round-trip in both alphabets', () => {
    const random = seededRandom(7);
    for (const length of [...Array.from({ length: 41 }, (_, i) => i), 8191, 8192, 8193, 20_000]) {
      const bytes = new Uint8Array(length);
      for (let i = 0; i < length; i++) bytes[i] = Math.floor(random() * 256);
      const reference = Buffer.from(bytes);
      expect(bytesToBase64(bytes)).toBe(reference.toString('base64'));
      expect(bytesToBase64url(bytes)).toBe(reference.toString('base64url'));
      expect(base64ToBytes(reference.toString('base64'))).toEqual(bytes);
    }
  });

  it('refuses what is not base64url or not UTF-8', () => {
    expect(() => base64urlToText('not base64!')).toThrow();
    expect(() => base64urlToText(Buffer.from([0xff, 0xfe, 0x80]).toString('base64url'))).toThrow();
  });
});
