/**
 * @module
 * Decides and collects in turn, in Chromium against the real local edge (writes queued, as
 * wrangler.toml ships): each uses up the profile token and its answer brings the next, so a
 * `refresh()` made while a collect (or the page's own decide) is out waits for that answer and
 * sends the token it brought; the next page's decide then counts every event, once. A request that
 * fails or hangs holds the next one back for at most the page's timeout, and nothing reaches the
 * page. The requests are held with `page.route`, so the overlap is certain.
 */
import type { Browser, BrowserContext, Page, Request, Response, Route } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium, waitReady, watchErrors } from './support/chromium';
import { buildAssets, sharedEdge, type Edge } from './support/edge';
import { hostUrl, startHost, type HostPage, type Running } from './support/servers';

let edge: Edge;
let browser: Browser;
let host: Running;
let context: BrowserContext;
let page: Page;
let errors: ReturnType<typeof watchErrors>;
type Sent = { req: Request; path: string; sent: any; at: number; answeredAt: number; answer: any; profile: string | null };
/** Every decide and collect the page sent, in the order it sent them, with the edge's answer. */
let requests: Sent[];

/** Points of the demo scoring rules (db/seed/demo.json), added up by hand for each event below. */
const POINTS = {
  pricingPage: 1 + 3, // page_view + page_view_pricing
  homePage: 1, // page_view
  whitepaper: 10 + 20, // download + download_whitepaper
  seminar: 20, // seminar_signup
};

beforeAll(async () => {
  buildAssets();
  [edge, browser, host] = await Promise.all([sharedEdge(), launchChromium(), startHost()]);
});
afterAll(async () => {
  await Promise.all([browser?.close(), host?.close(), edge?.stop()]);
});
beforeEach(async () => {
  context = await browser.newContext();
  page = await context.newPage();
  errors = watchErrors(page);
  requests = [];
  const path = (url: string) => new URL(url).pathname;
  page.on('request', (req: Request) => {
    if (!/^\/v1\/(decide|collect)$/.test(path(req.url()))) return;
    requests.push({ req, path: path(req.url()), sent: req.postDataJSON(), at: Date.now(), answeredAt: 0, answer: null, profile: null });
  });
  page.on('response', (res: Response) => {
    const record = requests.find((r) => r.req === res.request());
    if (!record) return;
    record.answeredAt = Date.now();
    record.profile = res.headers()['x-dw-profile'] ?? null;
    res.json().then(
      (b) => (record.answer = b),
      () => {},
    );
  });
});
afterEach(async () => {
  await context.close();
});

const open = async (pathname: string, p: Partial<HostPage> = {}) => {
  await page.goto(hostUrl(host, pathname, { src: `${edge.url}/dw.js`, ...p }));
  await waitReady(page);
};
const sent = (path: string) => requests.filter((r) => r.path === `/v1/${path}`);
const answered = async (r: () => Sent | undefined) => {
  await expect.poll(() => r()?.answer, { timeout: 10_000 }).toBeTruthy();
  return r()!;
};
const stored = (key: string) => page.evaluate((k) => localStorage.getItem(k), key);
const dw = (code: string) => page.evaluate(`(d => { ${code} })(window.dashiwake)`);
/** A token's signed claims (docs/storage.md, "What a token holds"). */
const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString());
/** Holds every request to `path` until `release()`; `held` resolves when the first one is held. */
async function hold(path: string, how: (route: Route) => Promise<void> = (route) => route.continue()) {
  let release!: () => void;
  let caught!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const held = new Promise<void>((r) => (caught = r));
  const handled: Promise<void>[] = [];
  await page.route(`**/v1/${path}`, (route) => {
    caught();
    const done = gate.then(() => how(route)).catch(() => {});
    handled.push(done);
    return done;
  });
  return {
    held,
    release: async () => {
      release();
      await Promise.all(handled);
      await page.unroute(`**/v1/${path}`);
    },
  };
}
/** Lets the page run for `ms` (its timers, the held requests) before the next check. */
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('decides and collects in turn', () => {
  it('a refresh() while a collect is out waits for its answer and sends its token: the next page counts both, once', async () => {
    await open('/pricing', { timeout: 8000 });
    const first = await answered(() => sent('decide')[0]);
    expect(await stored('dw_pt')).toBe(first.answer.token);

    const collect = await hold('collect');
    await dw(`d.track('download', { asset: '/files/guide.pdf', kind: 'whitepaper' })`);
    // The download goes to /v1/collect after the snippet's one-second flush: held there.
    await collect.held;
    // Then the visitor signs up for a seminar and the site re-decides at once, collect still out.
    await dw(`d.track('seminar_signup', { seminar: 'turns-test' }); d.refresh()`);
    await pause(700);
    // The re-decide waits for the collect's answer (the old snippet sent it at once, without a
    // token: the collect had used it up).
    expect(sent('decide')).toHaveLength(1);
    await collect.release();

    const out = await answered(() => sent('collect')[0]);
    expect(out.sent.token).toBe(first.answer.token);
    expect(claims(out.answer.token).s).toBe(POINTS.pricingPage + POINTS.whitepaper);
    const again = await answered(() => sent('decide')[1]);
    // Sent after the collect's answer, with the token it brought.
    expect(again.at).toBeGreaterThanOrEqual(out.answeredAt);
    expect(again.sent.token).toBe(out.answer.token);
    expect(again.sent.new).toBeUndefined();
    // Answered from that token, with no read; it resends the download (still queued when it was
    // made), which the token's event keys keep from counting twice.
    expect(again.profile).toBe('token');
    const both = claims(again.answer.token);
    expect(both.s).toBe(POINTS.pricingPage + POINTS.whitepaper + POINTS.seminar);
    expect(both.w['page_view.category=pricing'][0]).toBe(1);
    await expect.poll(() => stored('dw_pt')).toBe(again.answer.token);
    // Nothing is left to send, so no collect answers later and replaces that token.
    await expect.poll(() => stored('dw_queue')).toBe('[]');

    await open('/', { timeout: 8000 });
    const next = await answered(() => sent('decide')[2]);
    expect(next.sent.token).toBe(again.answer.token);
    expect(next.profile).toBe('token');
    expect(claims(next.answer.token).s).toBe(POINTS.pricingPage + POINTS.whitepaper + POINTS.seminar + POINTS.homePage);
    expect(sent('collect')).toHaveLength(1);
    expect(errors.pageErrors).toEqual([]);
    expect(errors.consoleErrors).toEqual([]);
  });

  it("a refresh() while the page's own decide is out waits for it and sends its token", async () => {
    const decide = await hold('decide');
    await page.goto(hostUrl(host, '/pricing', { src: `${edge.url}/dw.js`, timeout: 8000 }));
    await decide.held;
    await dw(`d.track('seminar_signup', { seminar: 'turns-test-2' }); d.refresh()`);
    await pause(700);
    // The held decide is the only request so far: the re-decide waits its turn.
    expect(requests.map((r) => r.path)).toEqual(['/v1/decide']);
    await decide.release();

    const first = await answered(() => sent('decide')[0]);
    expect(first.sent.new).toBe(true);
    const again = await answered(() => sent('decide')[1]);
    expect(again.sent.token).toBe(first.answer.token);
    // `new` belongs to the first request of an id made on the page only.
    expect(again.sent.new).toBeUndefined();
    expect(again.profile).toBe('token');
    // It resends the page view (queued until the first answer), counted once.
    expect(claims(again.answer.token).s).toBe(POINTS.pricingPage + POINTS.seminar);
    // The answers came in order: the page shows the later one, and the token kept is its.
    await expect.poll(() => stored('dw_pt')).toBe(again.answer.token);
    expect(errors.pageErrors).toEqual([]);
  });

  it('a failed collect holds nobody back: the refresh goes at once and carries the events', async () => {
    await open('/', { timeout: 8000 });
    await answered(() => sent('decide')[0]);
    const collect = await hold('collect', (route) => route.abort('failed'));
    await dw(`d.track('seminar_signup', { seminar: 'turns-test-3' })`);
    await collect.held;
    await collect.release();
    await expect.poll(() => sent('collect').length).toBe(1);
    await pause(200);
    const t = Date.now();
    await dw('d.refresh()');
    const again = await answered(() => sent('decide')[1]);
    // Not the page's timeout: the failed turn was over at once.
    expect(again.at - t).toBeLessThan(4000);
    // The collect used the token up and brought none: the re-decide reads, with the events.
    expect(again.sent.token).toBeUndefined();
    expect(again.profile).toBe('read');
    expect(again.sent.events.map((e: any) => e.type)).toContain('seminar_signup');
    expect(again.answer.slots).toBeTruthy();
    await expect.poll(() => stored('dw_queue')).toBe('[]');
    expect(errors.pageErrors).toEqual([]);
    expect(errors.consoleErrors).toEqual([]);
  });

  it('a collect that hangs holds the next request back for the page timeout only', async () => {
    await open('/', { timeout: 2000 });
    await answered(() => sent('decide')[0]);
    // Never answered while the test runs.
    const collect = await hold('collect', (route) => route.abort('failed'));
    await dw(`d.track('seminar_signup', { seminar: 'turns-test-4' })`);
    await collect.held;
    const t = Date.now();
    await dw('d.refresh()');
    await pause(500);
    expect(sent('decide')).toHaveLength(1);
    const again = await answered(() => sent('decide')[1]);
    // Sent once the page's timeout (2 s) had passed, with the events, and answered.
    expect(again.at - t).toBeGreaterThanOrEqual(1900);
    expect(again.sent.token).toBeUndefined();
    expect(again.sent.events.map((e: any) => e.type)).toContain('seminar_signup');
    expect(again.answer.slots).toBeTruthy();
    expect(errors.pageErrors).toEqual([]);
    expect(errors.consoleErrors).toEqual([]);
    await collect.release();
  });
});
