/**
 * The page encoding the edge rewrites in: BOM, then the Content-Type header, then the HTML
 * standard's `<meta>` prescan of the first 1024 bytes (cases/charset.json).
 */
import { describe, expect, it } from 'vitest';
import { canonicalCharset, charsetParam, metaCharset, pageCharset, PRESCAN_BYTES, rewritableCharset } from '../../worker/core/charset';
import cases from './cases/charset.json';

const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
/** Case HTML as bytes: `<!--PADn-->` becomes a comment n bytes long. */
const bytes = (html: string, bom = '') => {
  const padded = html.replace(/<!--PAD(\d+)-->/, (_, n) => `<!--${'x'.repeat(Number(n) - 7)}-->`);
  const prefix = Uint8Array.from((bom.match(/../g) ?? []).map((h) => parseInt(h, 16)));
  const body = new TextEncoder().encode(padded);
  return Uint8Array.from([...prefix, ...body]);
};

describe('canonicalCharset', () => {
  it.each(cases.labels)('$label → $charset', ({ label, charset }) => {
    expect(canonicalCharset(label)).toBe(charset);
  });
});

describe('charsetParam', () => {
  it.each(cases.contentTypes)('$contentType → $param', ({ contentType, param }) => {
    expect(charsetParam(contentType)).toBe(param);
  });
});

describe('rewritableCharset', () => {
  it.each(cases.rewritable)('$charset → $rewritable', ({ charset, rewritable }) => {
    expect(rewritableCharset(charset)).toBe(rewritable);
  });
});

describe('metaCharset', () => {
  it.each(cases.metas)('$why', ({ html, charset }) => {
    expect(metaCharset(bytes(html))).toBe(charset);
  });

  it('the padding case really puts the meta past the prescan window', () => {
    const html = bytes(cases.metas.find((c) => c.html.startsWith('<!--PAD'))!.html);
    const at = new TextDecoder().decode(html).indexOf('<meta');
    expect(at).toBeGreaterThan(PRESCAN_BYTES);
    // The same declaration without the padding is found.
    expect(metaCharset(html.subarray(at))).toBe('shift_jis');
  });

  it('never throws on arbitrary bytes', () => {
    for (let n = 0; n < 200; n++) {
      const junk = Uint8Array.from({ length: 300 }, (_, i) => ((i * 7919 + n * 104729) % 251) ^ (i % 3 ? 0x3c : 0x3e));
      expect(() => metaCharset(junk)).not.toThrow();
    }
    expect(metaCharset(latin1('<meta'))).toBeNull();
    expect(metaCharset(latin1('<meta charset="'))).toBeNull();
  });
});

describe('pageCharset', () => {
  it.each(cases.pages)('$why', ({ contentType, html, bom, complete, charset }) => {
    const expected = charset === '__undefined__' ? undefined : charset;
    expect(pageCharset(contentType, bytes(html, bom), complete)).toBe(expected);
  });

  it('a UTF-8 character cut at the end of the prescan window is still UTF-8', () => {
    const head = new TextEncoder().encode(`<title>${'料'.repeat(400)}</title>`).subarray(0, PRESCAN_BYTES);
    expect(pageCharset('text/html', head, false)).toBe('utf-8');
  });

  it('Shift_JIS bytes without a declaration are not taken for UTF-8', () => {
    // "料金" in Shift_JIS: 97BF 8BE0.
    const head = Uint8Array.from([...latin1('<title>'), 0x97, 0xbf, 0x8b, 0xe0, ...latin1('</title>')]);
    expect(pageCharset('text/html', head, true)).toBeNull();
  });
});
