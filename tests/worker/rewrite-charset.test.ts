/**
 * Rewrite mode and page encodings, with pages written in UTF-8, Shift_JIS and EUC-JP by the test
 * and served by a real origin server: every byte outside the decided slot comes out as the origin
 * sent it, the variant is written in the page's own encoding (numeric character references for
 * what it cannot hold), the charset is found in the header or else in the page's `<meta>`, and
 * ISO-2022-JP pages pass through untouched.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { invalidateConfig } from '../../worker/services/config-store';
import { count, loadDemo, signIn, vid } from './helpers';
import { bytesOf, concatBytes, indexOfBytes, ORIGIN, putPage, splitDecisionBytes, throughEdge } from './origin/client';
import { encodeLegacy } from './origin/legacy-encode';

/** The info_gathering hero, rewritten to hold characters each encoding treats differently. */
const VARIANT = '<h2>①㈱髙﨑 料金のご案内 😀 café</h2>';
/** The info_gathering segment's name (db/seed/demo.json). */
const INFO_GATHERING = '情報収集段階';
/** What a browser reads from a Shift_JIS or EUC-JP page: the emoji and é as references. */
const VARIANT_IN_JIS = '<h2>①㈱髙﨑 料金のご案内 &#128512; caf&#233;</h2>';

beforeAll(async () => {
  await loadDemo();
  await env.DB.prepare("UPDATE variants SET html = ? WHERE id = 'info_gathering_hero'").bind(VARIANT).run();
  invalidateConfig();
});

const saasMember = () => signIn(vid('cs'), `m-${crypto.randomUUID()}`, { industry: 'SaaS', employees: 120 });

type Charset = 'utf-8' | 'shift_jis' | 'euc-jp';
const encode = (text: string, charset: Charset) => (charset === 'utf-8' ? new TextEncoder().encode(text) : encodeLegacy(text, charset));

/** A page in `charset`: head (with `declaration`), the hero slot, and a tail; all in Japanese. */
function page(charset: Charset, declaration: string) {
  const head = `<!doctype html><html lang="ja"><head>${declaration}<title>料金表｜株式会社アクメ</title><meta name="dw:category" content="blog"></head><body><p>ようこそ、髙橋様。①②③</p>`;
  const slot = `<div data-dw-slot="hero"><h1>既定のヒーロー</h1></div>`;
  const tail = `<p>〒100-0001 東京都千代田区・お問い合わせ ℡</p></body></html>`;
  return { head: encode(head, charset), slot: encode(slot, charset), tail: encode(tail, charset), charset: charset as Charset };
}

/**
 * The edge's answer for `p`, checked byte for byte: the head and the tail exactly as written, and
 * between them the marker and the decided slot, which read (in the page's encoding) as expected.
 */
async function expectPersonalized(path: string, p: ReturnType<typeof page>, expectedVariant: string) {
  const v = await saasMember();
  const { res, settled } = await throughEdge(path, { headers: { cookie: `dw_vid=${v}` } });
  const { bytes: out, decision } = splitDecisionBytes(await bytesOf(res));
  await settled();
  expect(res.status).toBe(200);
  // The decision block after the page: ASCII whatever the page's encoding, its Japanese intact.
  expect(decision.segment).toEqual({ key: 'info_gathering', name: INFO_GATHERING });
  expect(out.subarray(0, p.head.length)).toEqual(p.head);
  expect(out.subarray(out.length - p.tail.length)).toEqual(p.tail);
  const middle = new TextDecoder(p.charset, { fatal: true }).decode(out.subarray(p.head.length, out.length - p.tail.length));
  expect(middle).toMatch(
    /^<meta name="dw:decided" content="[A-Za-z0-9_-]+"><div data-dw-slot="hero" data-dw-decided="info_gathering_hero">/,
  );
  expect(middle.endsWith(`${expectedVariant}<template data-dw-default><h1>既定のヒーロー</h1></template></div>`)).toBe(true);
  // The page's own hero, kept for the snippet, is the origin's bytes as they came.
  expect(indexOfBytes(out, encode('<h1>既定のヒーロー</h1></template>', p.charset))).toBeGreaterThan(p.head.length);
  expect(await count('events', "visitor_id = ? AND type = 'page_view'", v)).toBe(1);
  return out;
}

describe('pages in Japanese encodings', () => {
  it('UTF-8: the variant as it is', async () => {
    const p = page('utf-8', '<meta charset="utf-8">');
    await putPage('/cs/utf8', { headers: { 'content-type': 'text/html; charset=utf-8' }, parts: [p.head, p.slot, p.tail] });
    await expectPersonalized('/cs/utf8', p, VARIANT);
  });

  it('Shift_JIS named in the header: Windows-31J bytes, references for the rest', async () => {
    const p = page('shift_jis', '');
    await putPage('/cs/sjis-header', { headers: { 'content-type': 'text/html; charset=Shift_JIS' }, parts: [p.head, p.slot, p.tail] });
    const out = await expectPersonalized('/cs/sjis-header', p, VARIANT_IN_JIS);
    // ① and ㈱ from NEC row 13, 髙 and 﨑 from the IBM rows, as Windows writes them.
    expect(indexOfBytes(out, Uint8Array.from([0x87, 0x40, 0x87, 0x8a, 0xfb, 0xfc, 0xfa, 0xb1]))).toBeGreaterThan(p.head.length);
  });

  it('Shift_JIS named only in <meta charset>, gzip-encoded: found, decoded, rewritten', async () => {
    const p = page('shift_jis', '<meta charset="Shift_JIS">');
    await putPage('/cs/sjis-meta', { headers: { 'content-type': 'text/html' }, gzip: true, parts: [p.head, p.slot, p.tail] });
    // The origin's Content-Length counts the compressed bytes: stale once the body is decoded.
    const direct = await fetch(`${ORIGIN}/cs/sjis-meta`, { headers: { 'accept-encoding': 'gzip' } });
    expect(direct.headers.get('content-length')).toMatch(/^[0-9]+$/);
    await direct.arrayBuffer();
    const v = await saasMember();
    const { res, settled } = await throughEdge('/cs/sjis-meta', { headers: { cookie: `dw_vid=${v}` } });
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(res.headers.get('content-length')).toBeNull();
    expect(res.headers.get('content-type')).toBe('text/html');
    await res.arrayBuffer();
    await settled();
    await expectPersonalized('/cs/sjis-meta', p, VARIANT_IN_JIS);
  });

  it('EUC-JP named in <meta http-equiv="Content-Type">', async () => {
    const p = page('euc-jp', '<meta http-equiv="Content-Type" content="text/html; charset=EUC-JP">');
    await putPage('/cs/eucjp', { headers: { 'content-type': 'text/html' }, parts: [p.head, p.slot, p.tail] });
    await expectPersonalized('/cs/eucjp', p, VARIANT_IN_JIS);
  });

  it('a <meta charset> split across the origin’s chunks is still found', async () => {
    const p = page('euc-jp', '<meta charset="EUC-JP">');
    const cut = new TextDecoder().decode(p.head).indexOf('EUC');
    await putPage('/cs/split', {
      headers: { 'content-type': 'text/html' },
      parts: [p.head.subarray(0, cut + 1), p.head.subarray(cut + 1), p.slot, p.tail],
    });
    await expectPersonalized('/cs/split', p, VARIANT_IN_JIS);
  });
});

describe('pages the rewriter cannot parse pass through untouched', () => {
  /** ISO-2022-JP: JIS X 0208 characters between ESC $ B and ESC ( B (the EUC-JP bytes minus 0x80). */
  function iso2022jp(text: string): Uint8Array {
    const out: number[] = [];
    let kanji = false;
    for (const ch of text) {
      const euc = encodeLegacy(ch, 'euc-jp');
      const wide = euc.length === 2;
      if (wide !== kanji) out.push(...(wide ? [0x1b, 0x24, 0x42] : [0x1b, 0x28, 0x42]));
      kanji = wide;
      out.push(...(wide ? [euc[0]! - 0x80, euc[1]! - 0x80] : [euc[0]!]));
    }
    if (kanji) out.push(0x1b, 0x28, 0x42);
    return Uint8Array.from(out);
  }

  async function expectUntouched(path: string, headers: Record<string, string>, body: Uint8Array) {
    await putPage(path, { headers, parts: [body] });
    const v = await saasMember();
    const before = await count('events');
    const { res, settled } = await throughEdge(path, { headers: { cookie: `dw_vid=${v}` } });
    const out = await bytesOf(res);
    await settled();
    expect(out).toEqual(body);
    const direct = await fetch(`${ORIGIN}${path}`);
    await direct.arrayBuffer();
    const strip = (h: Headers) => Object.fromEntries([...h].filter(([k]) => k !== 'date'));
    expect(strip(res.headers)).toEqual(strip(direct.headers));
    expect(await count('events')).toBe(before);
  }

  it('ISO-2022-JP named in the header', async () => {
    const html = iso2022jp('<html><head><title>料金表</title></head><body><div data-dw-slot="hero">既定</div></body></html>');
    // The test's encoder is right: the runtime's decoder reads it back.
    expect(new TextDecoder('iso-2022-jp').decode(html)).toContain('料金表');
    await expectUntouched('/cs/iso2022-header', { 'content-type': 'text/html; charset=ISO-2022-JP' }, html);
  });

  it('ISO-2022-JP named only in <meta>', async () => {
    const html = iso2022jp(
      '<html><head><meta charset="ISO-2022-JP"><title>料金表</title></head><body><div data-dw-slot="hero">既定</div></body></html>',
    );
    await expectUntouched('/cs/iso2022-meta', { 'content-type': 'text/html' }, html);
  });

  it('an undeclared page whose first kilobyte is not UTF-8 (a browser would guess)', async () => {
    const html = concatBytes(
      encodeLegacy('<html><head><title>料金表</title></head><body>', 'shift_jis'),
      new TextEncoder().encode('<div data-dw-slot="hero">x</div></body></html>'),
    );
    await expectUntouched('/cs/undeclared', { 'content-type': 'text/html' }, html);
  });
});
