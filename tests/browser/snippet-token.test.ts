/**
 * @module
 * The profile token in Chromium against the real local edge (`DECIDE_WRITES = "queue"`, as
 * wrangler.toml ships): the snippet keeps the decide answer's token first-party and sends it with
 * the next page's decide, which the edge then answers with no D1 read (`X-DW-Profile: token`)
 * and still counting the previous page; events sent to /v1/collect carry the token, and the
 * collect's answer (a token counting the previous page and the collect's events) is what the next
 * decide sends; the first page of an id the snippet just made says `new` and
 * is answered with no read; opting out forgets the token.
 */
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium, waitReady, watchErrors } from './support/chromium';
import { buildAssets, startFreshEdge, type Edge } from './support/edge';
import { hostUrl, startHost, type Running } from './support/servers';

let edge: Edge;
let browser: Browser;
let host: Running;
let context: BrowserContext;
let page: Page;
let errors: ReturnType<typeof watchErrors>;
/** Each decide (and collect) the page sent: its body, the answer's body and where the edge got the profile. */
let decides: { sent: any; answer: any; profile: string | null; d1: string }[];
let collects: { sent: any; answer: any }[];

beforeAll(async () => {
  buildAssets();
  [edge, browser, host] = await Promise.all([startFreshEdge('dw-token-', { DECIDE_WRITES: 'queue' }), launchChromium(), startHost()]);
});
afterAll(async () => {
  await Promise.all([browser?.close(), host?.close(), edge?.stop()]);
});
beforeEach(async () => {
  context = await browser.newContext();
  page = await context.newPage();
  errors = watchErrors(page);
  // What localStorage holds when the snippet says the page is ready.
  await page.addInitScript(() =>
    document.addEventListener('dashiwake:ready', () => ((window as any).__ptAtReady = localStorage.getItem('dw_pt'))),
  );
  decides = [];
  collects = [];
  page.on('response', (res: Response) => {
    if (res.url().endsWith('/v1/collect')) {
      const record = { sent: res.request().postDataJSON(), answer: null as any };
      collects.push(record);
      res.json().then(
        (b) => (record.answer = b),
        () => {},
      );
    }
    if (!res.url().endsWith('/v1/decide')) return;
    const record = { sent: res.request().postDataJSON(), answer: null as any, profile: res.headers()['x-dw-profile'] ?? null, d1: '' };
    record.d1 = /reads=\d+/.exec(res.headers()['server-timing'] ?? '')?.[0] ?? '';
    decides.push(record);
    res.json().then(
      (b) => (record.answer = b),
      () => {},
    );
  });
});
afterEach(async () => {
  await context.close();
});

const open = async (pathname = '/') => {
  await page.goto(hostUrl(host, pathname, { src: `${edge.url}/dw.js` }));
  await waitReady(page);
  await expect.poll(() => decides.at(-1)?.answer, { timeout: 5000 }).toBeTruthy();
};
/** A decide through the edge, so its isolate has seen the configuration's stamp (a `new` page then reads nothing). */
const warm = () =>
  fetch(`${edge.url}/v1/decide`, { method: 'POST', body: JSON.stringify({ visitorId: `warm-${Date.now()}-token-test`, slots: ['hero'] }) });
const stored = (key: string) => page.evaluate((k) => localStorage.getItem(k), key);
const dw = <T>(fn: (dw: any) => T) => page.evaluate(`(${fn.toString()})(window.dashiwake)`) as Promise<Awaited<T>>;

describe('profile token', () => {
  it('is kept from one page and sent with the next, which the edge answers without a read', async () => {
    await warm();
    await open('/');
    const first = decides[0]!;
    expect(first.sent.token).toBeUndefined();
    // The id was made on this page: the edge reads nothing for it.
    expect(first.sent.new).toBe(true);
    expect(first.profile).toBe('new');
    expect(first.d1).toBe('reads=0');
    expect(typeof first.answer.token).toBe('string');
    expect(await stored('dw_pt')).toBe(first.answer.token);

    await open('/pricing');
    const second = decides[1]!;
    expect(second.sent.token).toBe(first.answer.token);
    expect(second.sent.new).toBeUndefined();
    expect(second.profile).toBe('token');
    expect(second.d1).toBe('reads=0');
    // Kept before the page is ready: a visitor who leaves at once still takes it to the next page.
    expect(await page.evaluate(() => (window as any).__ptAtReady)).toBe(second.answer.token);
    expect(await stored('dw_pt')).toBe(second.answer.token);
    expect(errors.pageErrors).toEqual([]);
  });

  it('sends the token with /v1/collect and keeps its answer: the next decide counts the page and the events', async () => {
    await open('/pricing');
    const token = await stored('dw_pt');
    expect(token).toBeTruthy();
    await dw((d) => d.track('seminar_signup', { seminar: 'token-test' }));
    await expect.poll(() => collects.at(-1)?.answer, { timeout: 5000 }).toBeTruthy();
    const sent = collects.at(-1)!;
    expect(sent.sent.token).toBe(token);
    expect(sent.sent.new).toBeUndefined();
    // The collect's token: the pricing page (still queued, or already in D1) and the sign-up.
    const kept = sent.answer.token;
    expect(kept).toBeTypeOf('string');
    await expect.poll(() => stored('dw_pt'), { timeout: 5000 }).toBe(kept);
    await open('/');
    const last = decides.at(-1)!;
    expect(last.sent.token).toBe(kept);
    expect(last.profile).toBe('token');
    expect(last.d1).toBe('reads=0');
    // The decide counted the pricing page.
    const claims = JSON.parse(Buffer.from(last.answer.token.split('.')[0], 'base64url').toString());
    expect(claims.w?.['page_view.category=pricing']?.[0]).toBeGreaterThanOrEqual(1);
    expect(await stored('dw_pt')).toBe(last.answer.token);
  });

  it('forgets the token on opt-out', async () => {
    await open('/');
    expect(await stored('dw_pt')).toBeTruthy();
    await dw((d) => d.optOut());
    expect(await stored('dw_pt')).toBeNull();
  });
});
