/**
 * Rewrite mode streams: a page's first bytes (and its decided first slot) reach the client while
 * the origin is still sending the rest, and a 10 MB page goes through whole, its last slot decided.
 * The origin holds its answer until the test releases it, so "before the origin finished" is a
 * fact the test observes, not a timing.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { count, loadDemo, signIn, vid } from './helpers';
import { originState, putPage, release, splitDecision, throughEdge } from './origin/client';

beforeAll(loadDemo);

const HTML = { 'content-type': 'text/html; charset=utf-8' };
const HEAD = '<!doctype html><html><head><meta charset="utf-8"><meta name="dw:category" content="blog"><title>slow</title></head><body>';
const HERO = '<div data-dw-slot="hero"><h1>既定</h1></div>';
const CTA = '<div data-dw-slot="cta"><p>既定の CTA</p></div>';
const TAIL = '</body></html>';

const member = (traits: Record<string, unknown>) => signIn(vid('st'), `m-${crypto.randomUUID()}`, traits);

/** Reads from `reader` until the text so far contains `marker`. */
async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, marker: string, sofar = ''): Promise<string> {
  const decoder = new TextDecoder();
  let text = sofar;
  while (!text.includes(marker)) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`stream ended before ${JSON.stringify(marker)}; got ${text.slice(-200)}`);
    text += decoder.decode(value, { stream: true });
  }
  return text;
}

async function readRest(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<number> {
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return n;
    n += value.length;
  }
}

describe('a slow origin', () => {
  it.each([
    ['in the header', 'text/html; charset=utf-8', '/slow/head'],
    ['only in <meta charset> (the edge reads it from the first bytes)', 'text/html', '/slow/head-meta'],
  ])('the head reaches the client before the origin sends the first slot (charset %s)', async (_, type, path) => {
    await putPage(path, { headers: { 'content-type': type }, parts: [`${HEAD}<header>Acme</header>`, HERO + TAIL], hold: 0 });
    const { res, settled } = await throughEdge(path, { headers: { cookie: `dw_vid=${vid('slow')}` } });
    const reader = res.body!.getReader();
    const first = await readUntil(reader, '<header>Acme</header>');
    expect(first.startsWith(HEAD)).toBe(true);
    expect(await originState(path)).toEqual({ requests: 1, finished: 0 });
    await release(path);
    const rest = await readUntil(reader, '</html>', first);
    expect(rest).toContain('data-dw-decided="default"');
    await settled();
    expect(await originState(path)).toEqual({ requests: 1, finished: 1 });
  });

  it('the first slot goes out decided while the origin still holds the rest of the page', async () => {
    const v = await member({ industry: 'SaaS', employees: 120 });
    await putPage('/slow/slot', { headers: HTML, parts: [`${HEAD + HERO}<p>after the hero</p>`, CTA + TAIL], hold: 0 });
    const { res, settled } = await throughEdge('/slow/slot', { headers: { cookie: `dw_vid=${v}` } });
    const reader = res.body!.getReader();
    const first = await readUntil(reader, 'after the hero');
    expect(first).toContain('<meta name="dw:decided"');
    expect(first).toContain('data-dw-decided="info_gathering_hero"');
    expect(first).toContain('マーケティング課題の整理ガイド');
    expect(await originState('/slow/slot')).toEqual({ requests: 1, finished: 0 });
    await release('/slow/slot');
    const all = await readUntil(reader, '</html>', first);
    expect(all).toContain('<div data-dw-slot="cta" data-dw-decided="default">');
    await settled();
    expect(await count('events', "visitor_id = ? AND type = 'page_view'", v)).toBe(1);
  });
});

describe('a page sent in one piece', () => {
  /** A D1 binding whose reads wait until `open()`: the decision is pending for as long as the test wants. */
  function gatedD1() {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const statement = (s: D1PreparedStatement): D1PreparedStatement =>
      new Proxy(s, {
        get(target, prop) {
          if (prop === 'bind') return (...a: unknown[]) => statement(target.bind(...a));
          if (prop === 'first') return (...a: unknown[]) => gate.then(() => (target.first as (...x: unknown[]) => Promise<unknown>)(...a));
          return Reflect.get(target, prop, target);
        },
      });
    const db = new Proxy(env.DB, {
      get(target, prop) {
        if (prop === 'prepare') return (q: string) => statement(target.prepare(q));
        return Reflect.get(target, prop, target);
      },
    });
    return { db, open };
  }

  it('its head goes out while the first slot still waits for the decision', async () => {
    const v = await member({ industry: 'SaaS', employees: 120 });
    await putPage('/one-piece', { headers: HTML, parts: [HEAD + '<header>Acme</header>' + HERO + CTA + TAIL] });
    const { db, open } = gatedD1();
    const { res, settled } = await throughEdge('/one-piece', { headers: { cookie: `dw_vid=${v}` }, bindings: { DB: db } });
    const reader = res.body!.getReader();
    // The decision cannot be done (its read is held), yet the head arrives.
    const first = await readUntil(reader, '<header>Acme</header>');
    expect(first).not.toContain('dw:decided');
    open();
    const all = await readUntil(reader, '</html>', first);
    expect(all).toContain('data-dw-decided="info_gathering_hero"');
    await settled();
  });
});

describe('a 10 MB page', () => {
  it('streams through whole; the slot after 10 MB is decided from the same decision', async () => {
    const v = await member({ industry: 'Manufacturing', employees: 300 });
    const filler = `<p>${'あいうえお'.repeat(200)}</p>\n`; // 3,008 bytes
    const times = Math.ceil((10 * 1024 * 1024) / new TextEncoder().encode(filler).length);
    await putPage('/big', { headers: HTML, parts: [HEAD + HERO, filler, CTA + TAIL], repeat: { part: 1, times } });
    const { res, settled } = await throughEdge('/big', { headers: { cookie: `dw_vid=${v}` } });
    const reader = res.body!.getReader();
    const start = await readUntil(reader, '<p>');
    expect(start).toContain('<div data-dw-slot="hero" data-dw-decided="default">');
    // Read the middle without keeping it; keep only the end.
    let total = new TextEncoder().encode(start).length;
    let tail = '';
    const decoder = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      tail = (tail + decoder.decode(value, { stream: true })).slice(-2000); // the decision block holds a token (≤ 1 KB)
    }
    await settled();
    expect(total).toBeGreaterThan(10 * 1024 * 1024);
    expect(splitDecision(tail).html).toMatch(
      /<div data-dw-slot="cta" data-dw-decided="non_target_cta"><a class="dw-button" href="\/demo\/newsletter.html">メールマガジンに登録する<\/a><template data-dw-default><p>既定の CTA<\/p><\/template><\/div><\/body><\/html>$/,
    );
    // The decision block names both slots, the one after 10 MB too.
    expect(splitDecision(tail).decision.slots).toEqual({
      hero: null,
      cta: { variant: 'non_target_cta', experiment: null, arm: null },
    });
    expect(await originState('/big')).toEqual({ requests: 1, finished: 1 });
    expect(await count('events', "visitor_id = ? AND type = 'page_view'", v)).toBe(1);
  });

  it('a first slot past what the edge inspects (256 KB) is decided too', async () => {
    const v = await member({ industry: 'Manufacturing', employees: 300 });
    const filler = `<p>${'x'.repeat(1000)}</p>\n`;
    await putPage('/late-slot', { headers: HTML, parts: [HEAD, filler, CTA + TAIL], repeat: { part: 1, times: 300 } });
    const { res, settled } = await throughEdge('/late-slot', { headers: { cookie: `dw_vid=${v}` } });
    const html = await res.text();
    await settled();
    expect(html.indexOf('<meta name="dw:decided"')).toBeGreaterThan(300_000);
    expect(html).toContain('data-dw-decided="non_target_cta"');
    // Undo the changes (the marker, the attribute, the variant and the template around the page's
    // own content): what is left is the origin's page, every byte of it.
    const original = HEAD + filler.repeat(300) + CTA + TAIL;
    const undone = splitDecision(html)
      .html.replace(/<meta name="dw:decided" content="[^"]+">/, '')
      .replace(' data-dw-decided="non_target_cta"', '')
      .replace('<a class="dw-button" href="/demo/newsletter.html">メールマガジンに登録する</a><template data-dw-default>', '')
      .replace('</template>', '');
    expect(undone === original).toBe(true);
  });

  it('without slots it comes out byte for byte (length and ending)', async () => {
    const filler = '<p>0123456789abcdef</p>\n'.repeat(1000);
    const times = Math.ceil((10 * 1024 * 1024) / filler.length);
    await putPage('/big-plain', {
      headers: HTML,
      gzip: true,
      parts: ['<!doctype html><html><body>', filler, '</body></html>'],
      repeat: { part: 1, times },
    });
    const { res } = await throughEdge('/big-plain');
    expect(res.headers.get('content-encoding')).toBeNull();
    const reader = res.body!.getReader();
    const n = await readRest(reader);
    expect(n).toBe('<!doctype html><html><body>'.length + filler.length * times + '</body></html>'.length);
  });
});
