/**
 * @module
 * Rewrite mode as a visitor gets it: Chromium, the real local edge (`wrangler dev` with
 * `ORIGIN_URL`) in front of the demo site's own origin (scripts/demo-origin.mjs), as `npm start`
 * runs them. A member's page arrives with their segment's hero already in the HTML: nothing moves
 * (CLS 0 by the Layout Instability API), the snippet sends no decide, and exactly one page view is
 * stored for it, while tracking still works. The same page at /demo/ stays in snippet mode, and
 * each says which mode it is in.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { launchChromium, waitReady, watchErrors } from './support/chromium';
import { ADMIN_TOKEN, root, startFreshEdge, startRewriteEdge, type Edge } from './support/edge';

/** The demo's info_gathering hero (db/seed/demo.json): SaaS, 120 employees, a blog page view. */
const INFO_HERO = 'マーケティング課題の整理ガイド';
const DEFAULT_HERO = '会員データを、売上につながる体験へ。';
/** The blog page's own hero (snippet/demo/blog.html). */
const BLOG_HERO = 'ブログの更新をメールで受け取る';

let edge: Edge;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let errors: ReturnType<typeof watchErrors>;
let calls: { path: string; body: any }[];

beforeAll(async () => {
  [edge, browser] = await Promise.all([startRewriteEdge('dw-rewrite-'), launchChromium()]);
});
afterAll(async () => {
  await Promise.all([browser?.close(), edge?.stop()]);
});
beforeEach(async () => {
  // The demo site's panel speaks the browser's language; these tests read it in Japanese.
  context = await browser.newContext({ locale: 'ja-JP' });
  page = await context.newPage();
  errors = watchErrors(page);
  calls = [];
  page.on('request', (req: Request) => {
    const url = new URL(req.url());
    if (url.pathname.startsWith('/v1/')) calls.push({ path: url.pathname, body: JSON.parse(req.postData() || 'null') });
  });
});
afterEach(async () => {
  await context.close();
});

/** Sum of layout-shift values since the page started (buffered entries), as CLS counts them. */
const layoutShift = () =>
  page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        let sum = 0;
        new PerformanceObserver((list) => {
          for (const e of list.getEntries() as any[]) if (!e.hadRecentInput) sum += e.value;
        }).observe({ type: 'layout-shift', buffered: true });
        setTimeout(() => resolve(sum), 300);
      }),
  );

const heroText = () => page.locator('[data-dw-slot="hero"] h1, [data-dw-slot="hero"] h2').first().innerText();
const modeNote = () => page.locator('.dw-console .mode');

async function memberEvents(memberId: string): Promise<{ id: string; type: string; url: string | null; props: Record<string, unknown> }[]> {
  const res = await fetch(`${edge.url}/api/members/${memberId}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  if (!res.ok) throw new Error(`GET /api/members/${memberId} → ${res.status}`);
  return ((await res.json()) as { events: any[] }).events;
}

describe('the demo site through the edge (rewrite mode)', () => {
  it('a member’s page arrives personalized: hero in the HTML, CLS 0, no decide, one page view, tracking kept', async () => {
    // An anonymous first visit: the edge gives the browser its visitor id.
    const home = await page.goto(`${edge.url}/`);
    expect(home!.headers()['cache-control']).toBe('private, no-store');
    await waitReady(page);
    const [cookie] = (await context.cookies(edge.url)).filter((c) => c.name === 'dw_vid');
    expect(cookie).toMatchObject({ sameSite: 'Lax', httpOnly: false, path: '/' });
    expect(await page.evaluate(() => (window as any).dashiwake.visitorId())).toBe(cookie!.value);
    expect(await heroText()).toBe(DEFAULT_HERO);
    await expect.poll(() => modeNote().getAttribute('data-mode')).toBe('rewrite');
    expect(calls.filter((c) => c.path === '/v1/decide')).toEqual([]);

    // Signing in as the demo's SaaS member (identify rotates the id; the snippet adopts it).
    await page.getByRole('button', { name: /SaaS 企業/ }).click();
    await expect.poll(() => page.locator('.dw-console .hint').innerText()).toContain('SaaS 企業の会員としてログインしました');
    const rotated = await page.evaluate(() => (window as any).dashiwake.visitorId());
    expect(rotated).not.toBe(cookie!.value);

    // The blog page: its page view makes the member info_gathering, decided at the edge.
    calls = [];
    const response = await page.goto(`${edge.url}/blog.html`);
    const html = await response!.text();
    expect(html).toContain(INFO_HERO);
    const pageViewId = /<meta name="dw:decided" content="([^"]+)">/.exec(html)?.[1];
    expect(pageViewId).toBeDefined();
    await waitReady(page);
    expect(await heroText()).toBe(INFO_HERO);
    expect(await layoutShift()).toBe(0);
    await expect.poll(() => modeNote().innerText()).toContain('エッジが出し分けてから配信しました');
    // The decision's profile token (writes queued, as shipped), kept by the snippet in the dw_pt
    // cookie for the edge's next page: first-party, script-set, this visitor's.
    const tokenCookie = async () => (await context.cookies(edge.url)).find((c) => c.name === 'dw_pt');
    const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8'));
    await expect.poll(async () => (await tokenCookie())?.value).toBeTruthy();
    expect(await tokenCookie()).toMatchObject({ sameSite: 'Lax', httpOnly: false, path: '/' });
    expect(claimsOf((await tokenCookie())!.value).v).toBe(rotated);
    expect(html).toMatch(/<script type="application\/json" id="dw-decision">\{[^<]*"token":"[A-Za-z0-9_.-]+"\}<\/script>/);

    // Tracking still goes out, through /v1/collect; no decide and no page view from the snippet.
    await page.evaluate(() => (window as any).dashiwake.track('video_view', { video: 'product-tour' }));
    await expect.poll(() => calls.filter((c) => c.path === '/v1/collect').length, { timeout: 5000 }).toBeGreaterThan(0);
    expect(calls.filter((c) => c.path === '/v1/decide')).toEqual([]);
    const sent = calls.flatMap((c) => c.body?.events ?? []);
    expect(sent.map((e: any) => e.type)).toEqual(['video_view']);

    await expect
      .poll(async () => (await memberEvents('demo-saas-120')).filter((e) => e.type === 'video_view').length, { timeout: 5000 })
      .toBe(1);
    const events = await memberEvents('demo-saas-120');
    const blogViews = events.filter((e) => e.type === 'page_view' && e.url?.endsWith('/blog.html'));
    expect(blogViews.map((e) => e.id)).toEqual([pageViewId]);
    expect(blogViews[0]!.props).toEqual({ category: 'blog' });

    // The next page carries the token (the collect's answer keeps it current) and is decided again.
    await expect.poll(async () => (await tokenCookie())?.value).toBeTruthy();
    const next = page.waitForRequest((r) => r.url() === `${edge.url}/blog.html`);
    await page.goto(`${edge.url}/blog.html`);
    expect((await (await next).allHeaders()).cookie).toMatch(/(^|; )dw_pt=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/);
    await waitReady(page);
    expect(await heroText()).toBe(INFO_HERO);
    expect(errors.pageErrors).toEqual([]);
    expect(errors.consoleErrors).toEqual([]);
  });

  it('signing in on an edge-decided page as a member with no hero: the page’s own hero comes back', async () => {
    await page.goto(`${edge.url}/`);
    await waitReady(page);
    await page.getByRole('button', { name: /SaaS 企業/ }).click();
    await expect.poll(() => page.locator('.dw-console .hint').innerText()).toContain('SaaS 企業の会員としてログインしました');
    const response = await page.goto(`${edge.url}/blog.html`);
    const html = await response!.text();
    // The edge filled the hero and kept the page's own one, inert, in a template after it.
    expect(html).toMatch(/<template data-dw-default>\s*<h2>ブログの更新をメールで受け取る<\/h2>/);
    await waitReady(page);
    expect(await heroText()).toBe(INFO_HERO);
    expect(await page.locator('[data-dw-slot="hero"] template[data-dw-default]').count()).toBe(1);

    // The manufacturer (non_target): no hero variant. The snippet re-decides the
    // page's slots after identify; the hero's answer is "default", so the blog's own hero is shown
    // again (before, the SaaS member's hero stayed until the next page).
    calls = [];
    await page.getByRole('button', { name: /製造業/ }).click();
    await expect.poll(() => page.locator('.dw-console .hint').innerText()).toContain('製造業の会員としてログインしました');
    await expect.poll(() => heroText()).toBe(BLOG_HERO);
    expect(await page.locator('[data-dw-slot="hero"]').innerText()).toContain('データ活用のヒントを月 2 回お届けします。');
    expect(await page.locator('[data-dw-slot="hero"] template').count()).toBe(0);
    expect(calls.filter((c) => c.path === '/v1/decide')).toHaveLength(1);
    expect(errors.pageErrors).toEqual([]);
    expect(errors.consoleErrors).toEqual([]);
  });

  it('the Shift_JIS copy of the site is personalized too, its text intact', async () => {
    await page.goto(`${edge.url}/`);
    await waitReady(page);
    await page.getByRole('button', { name: /SaaS 企業/ }).click();
    await expect.poll(() => page.locator('.dw-console .hint').innerText()).toContain('ログインしました');
    const response = await page.goto(`${edge.url}/sjis/blog.html`);
    expect(response!.headers()['content-type']).toBe('text/html');
    await waitReady(page);
    expect(await page.evaluate(() => document.characterSet)).toBe('Shift_JIS');
    expect(await heroText()).toBe(INFO_HERO);
    expect(await page.locator('footer').innerText()).toContain('表示内容は訪問者のセグメントごとに出し分けられます');
    expect(await layoutShift()).toBe(0);
    await expect.poll(() => modeNote().innerText()).toContain('Shift_JIS');
    expect(calls.filter((c) => c.path === '/v1/decide' && c.body?.events?.length)).toEqual([]);
  });

  it('the same page at /demo/ stays in snippet mode, and says so', async () => {
    await page.goto(`${edge.url}/demo/blog.html`);
    await waitReady(page);
    await expect.poll(() => modeNote().getAttribute('data-mode')).toBe('snippet');
    expect(await modeNote().innerText()).toContain('スニペットモード');
    const decides = calls.filter((c) => c.path === '/v1/decide');
    expect(decides).toHaveLength(1);
    expect(decides[0]!.body.events.map((e: any) => e.type)).toEqual(['page_view']);
  });
});

describe('the loop guard on a real edge', () => {
  it('ORIGIN_URL pointing back at the edge itself answers 508 at once', async () => {
    const mod = await import(pathToFileURL(path.join(root, 'scripts/local-edge.mjs')).href);
    const port: number = await mod.freePort();
    // An edge whose ORIGIN_URL is its own address (the misconfiguration the loop guard is for).
    const self = await startFreshEdge('dw-loop-', { ORIGIN_URL: `http://127.0.0.1:${port}` }, port);
    try {
      const res = await fetch(`${self.url}/some/page`, { headers: { accept: 'text/html' } });
      expect(res.status).toBe(508);
      expect(await res.text()).toMatch(/Loop detected/);
    } finally {
      await self.stop();
    }
  });
});
