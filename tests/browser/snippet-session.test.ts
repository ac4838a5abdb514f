/**
 * @module
 * The snippet's session handling in Chromium against a fake edge whose every answer the test
 * picks: identify adopts the visitor id the edge hands back, reset() starts a new visitor,
 * Retry-After on 429/503 keeps the snippet quiet (on this page and the next), and a preview link
 * loses its token from the address bar.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium, waitReady, watchErrors } from './support/chromium';
import { buildAssets, root } from './support/edge';
import { DEFAULT_HERO, hostUrl, startHost, type HostPage, type Running } from './support/servers';

/** The visitor id the fake edge hands out on identify. */
const ROTATED = 'rotatedvisitor0123456789';

interface Request {
  path: string;
  body: any;
  /** Date.now() when the edge got it. */
  at: number;
}
interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Close the connection without an answer (the network failed). */
  drop?: boolean;
  /** Answer after this many ms. */
  delay?: number;
}
type Answers = Partial<Record<'decide' | 'collect' | 'identify', (body: any) => Answer>>;

/** What a healthy edge answers: no content for any slot, events accepted, identify rotates. */
const healthy: Required<Answers> = {
  decide: (b) => ({
    status: 200,
    body: { visitorId: b.visitorId, segment: null, slots: Object.fromEntries((b.slots ?? []).map((s: string) => [s, null])) },
  }),
  collect: (b) => ({ status: 200, body: { accepted: b.events?.length ?? 0, duplicates: 0, rejected: [], segment: null } }),
  identify: () => ({ status: 200, body: { memberId: 'member-42', segment: 'hot_lead', visitorId: ROTATED } }),
};
const failure = (status: number, code: string, headers?: Record<string, string>): Answer => ({
  status,
  body: { error: { code, message: code } },
  headers,
});

/** A fake edge: serves the built /dw.js, records every request, answers as `answers` says. */
async function startEdge() {
  const requests: Request[] = [];
  const state = { requests, answers: {} as Answers, url: '', server: undefined as Server | undefined };
  const server = createServer((req, res) => {
    // As the real edge should: Retry-After readable by a page on another origin.
    const cors = { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'Retry-After' };
    if (req.url === '/dw.js') {
      res.writeHead(200, { 'content-type': 'text/javascript', ...cors }).end(readFileSync(path.join(root, 'dist/public/dw.js')));
      return;
    }
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      let body: any = raw;
      try {
        body = JSON.parse(raw);
      } catch {}
      requests.push({ path: req.url!, body, at: Date.now() });
      const route = req.url!.replace('/v1/', '') as keyof Answers;
      const answer = (state.answers[route] ?? healthy[route])?.(body) ?? failure(404, 'not_found');
      if (answer.drop) return void req.socket.destroy();
      const send = () =>
        res.writeHead(answer.status, { 'content-type': 'application/json', ...cors, ...answer.headers }).end(JSON.stringify(answer.body));
      answer.delay ? setTimeout(send, answer.delay) : send();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.server = server;
  return state;
}

let browser: Browser;
let host: Running;
let edge: Awaited<ReturnType<typeof startEdge>>;
let context: BrowserContext;
let page: Page;
let errors: ReturnType<typeof watchErrors>;

beforeAll(async () => {
  buildAssets();
  [browser, host, edge] = await Promise.all([launchChromium(), startHost(), startEdge()]);
});
afterAll(async () => {
  edge?.server?.closeAllConnections();
  await Promise.all([browser?.close(), host?.close(), new Promise((r) => (edge?.server ? edge.server.close(r) : r(null)))]);
});
beforeEach(async () => {
  edge.answers = {};
  edge.requests.length = 0;
  context = await browser.newContext();
  page = await context.newPage();
  errors = watchErrors(page);
});
afterEach(async () => {
  await context.close();
});

const open = async (pathname = '/', p: Partial<HostPage> = {}) => {
  await page.goto(hostUrl(host, pathname, { src: `${edge.url}/dw.js`, ...p }));
  return waitReady(page);
};
const dw = <T>(fn: (dw: any) => T) => page.evaluate(`(${fn.toString()})(window.dashiwake)`) as Promise<Awaited<T>>;
const sent = (route: string) => edge.requests.filter((r) => r.path === `/v1/${route}`);
const stored = (key: string) => page.evaluate((k) => localStorage.getItem(k), key);
const cookie = async () => (await context.cookies(host.url)).find((c) => c.name === 'dw_vid')?.value;
const queued = async () => JSON.parse((await stored('dw_queue')) ?? '[]').map((e: any) => e.type) as string[];
const noErrors = () => {
  expect(errors.pageErrors).toEqual([]);
  expect(errors.consoleErrors).toEqual([]);
};

describe('identify', () => {
  it('adopts the visitor id the edge returns: cookie, localStorage and every later request', async () => {
    await open();
    const before = await dw((d) => d.visitorId());
    expect(before).not.toBe(ROTATED);

    const result = await dw((d) => d.identify('signed.member.token'));
    expect(result).toEqual({ ok: true, memberId: 'member-42', segment: 'hot_lead' });
    expect(sent('identify').map((r) => r.body)).toEqual([{ visitorId: before, token: 'signed.member.token' }]);

    expect(await dw((d) => d.visitorId())).toBe(ROTATED);
    expect(await cookie()).toBe(ROTATED);
    expect(await stored('dw_vid')).toBe(ROTATED);
    // The re-decide came after the answer, already under the new id.
    expect(sent('decide')).toHaveLength(2);
    expect(sent('decide')[1]!.body.visitorId).toBe(ROTATED);

    await dw((d) => d.track('seminar_signup', { seminar: 'dx-2026' }));
    await expect.poll(() => sent('collect').length, { timeout: 5000 }).toBe(1);
    expect(sent('collect')[0]!.body.visitorId).toBe(ROTATED);

    await open('/pricing');
    expect(sent('decide').at(-1)!.body.visitorId).toBe(ROTATED);
    noErrors();
  });

  it('keeps the id when the answer has none (an edge that does not rotate)', async () => {
    edge.answers.identify = () => ({ status: 200, body: { memberId: 'member-42', segment: null } });
    await open();
    const before = await dw((d) => d.visitorId());
    expect(await dw((d) => d.identify('signed.member.token'))).toEqual({ ok: true, memberId: 'member-42', segment: null });
    expect(await dw((d) => d.visitorId())).toBe(before);
    expect(await cookie()).toBe(before);
  });

  it('refused: resolves {ok: false, error} with the server code; keeps the id, no re-decide', async () => {
    await open();
    const before = await dw((d) => d.visitorId());
    edge.answers.identify = () => failure(401, 'invalid_token');
    expect(await dw((d) => d.identify('expired.member.token'))).toEqual({ ok: false, error: 'invalid_token' });
    edge.answers.identify = () => failure(429, 'rate_limited', { 'Retry-After': '60' });
    expect(await dw((d) => d.identify('signed.member.token'))).toEqual({ ok: false, error: 'rate_limited' });
    expect(await dw((d) => d.visitorId())).toBe(before);
    expect(await cookie()).toBe(before);
    expect(sent('decide')).toHaveLength(1);
    noErrors();
  });

  it('no usable answer: {ok: false, error: "network"}, never a rejection', async () => {
    await open();
    edge.answers.identify = () => ({ status: 0, body: null, drop: true });
    expect(await dw((d) => d.identify('signed.member.token'))).toEqual({ ok: false, error: 'network' });
    edge.answers.identify = () => ({ status: 502, body: '<html>bad gateway</html>' });
    expect(await dw((d) => d.identify('signed.member.token'))).toEqual({ ok: false, error: 'network' });
    // Garbage from the page: the edge refuses it, the promise still resolves.
    edge.answers.identify = () => failure(400, 'invalid_request');
    expect(await dw((d) => Promise.all([d.identify(), d.identify(123), d.push(['identify', { token: 1 }])]))).toEqual([
      { ok: false, error: 'invalid_request' },
      { ok: false, error: 'invalid_request' },
      { ok: false, error: 'invalid_request' },
    ]);
    noErrors();
  });

  it('opted out: {ok: false, error: "not_allowed"} and nothing is sent', async () => {
    await open();
    await dw((d) => d.optOut());
    expect(await dw((d) => d.identify('signed.member.token'))).toEqual({ ok: false, error: 'not_allowed' });
    expect(sent('identify')).toHaveLength(0);
    noErrors();
  });

  it('a reset() while identify is out wins: the answer does not bring the old member back', async () => {
    edge.answers.identify = (b) => ({ ...healthy.identify(b), delay: 500 });
    await open();
    const result = page.evaluate(() => (window as any).dashiwake.identify('signed.member.token'));
    await expect.poll(() => sent('identify').length).toBe(1);
    await dw((d) => d.reset());
    const afterReset = await dw((d) => d.visitorId());
    expect(await result).toMatchObject({ ok: true });
    expect(await dw((d) => d.visitorId())).toBe(afterReset);
    expect(afterReset).not.toBe(ROTATED);
    noErrors();
  });
});

describe('reset()', () => {
  it('starts a new visitor: new id in cookie and storage, queue dropped, later events under the new id', async () => {
    await open();
    const before = await dw((d) => d.visitorId());
    // Events the edge has not taken yet wait in the queue.
    edge.answers.collect = () => failure(500, 'internal_error');
    await dw((d) => d.track('login'));
    await expect.poll(() => sent('collect').length, { timeout: 5000 }).toBe(1);
    expect(await queued()).toEqual(['login']);

    expect(await dw((d) => d.reset())).toBeUndefined();
    const after = await dw((d) => d.visitorId());
    expect(after).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    expect(after).not.toBe(before);
    expect(await cookie()).toBe(after);
    expect(await stored('dw_vid')).toBe(after);
    expect(await queued()).toEqual([]);

    edge.answers = {};
    await dw((d) => d.track('seminar_signup', { seminar: 'dx-2026' }));
    await expect.poll(() => sent('collect').length, { timeout: 5000 }).toBe(2);
    expect(sent('collect')[1]!.body).toMatchObject({ visitorId: after, events: [{ type: 'seminar_signup' }] });
    expect(sent('collect')[1]!.body.events).toHaveLength(1);

    await open();
    const decide = sent('decide').at(-1)!.body;
    expect(Object.keys(decide).sort()).toEqual(['events', 'slots', 'url', 'visitorId']);
    expect(decide.visitorId).toBe(after);
    expect(decide.events.map((e: any) => e.type)).toEqual(['page_view']);
    noErrors();
  });
});

describe('Retry-After on 429/503', () => {
  it('a 429 from /v1/collect: events stay queued, nothing is sent before the time, on this page or the next', async () => {
    await open();
    // Long enough for a slow machine to open the next page inside it.
    edge.answers.collect = () => failure(429, 'rate_limited', { 'Retry-After': '5' });
    await dw((d) => d.track('login'));
    await expect.poll(() => sent('collect').length, { timeout: 5000 }).toBe(1);
    const limitedAt = sent('collect')[0]!.at;
    const until = Number(await stored('dw_retry'));
    expect(until).toBeGreaterThanOrEqual(limitedAt + 4500);
    expect(until).toBeLessThanOrEqual(limitedAt + 5500);

    edge.answers = {};
    await dw((d) => d.track('seminar_signup', { seminar: 'dx-2026' })); // would flush after 1 s
    await page.waitForTimeout(1200);
    expect(sent('collect')).toHaveLength(1);

    // The next page respects the stored time too: no decide, defaults shown, the view queued.
    await open('/pricing');
    expect(sent('decide')).toHaveLength(1);
    expect(await page.locator('#hero').innerText()).toBe(DEFAULT_HERO);
    expect(await page.locator('[data-dw-pending]').count()).toBe(0);
    expect(await queued()).toEqual(['login', 'seminar_signup', 'page_view']);
    expect(sent('collect')).toHaveLength(1);

    // Once the time has passed, the page sends what waited, in one batch.
    expect(Date.now()).toBeLessThan(until); // (the checks above ran inside the wait)
    await expect.poll(() => sent('collect').length, { timeout: 8000 }).toBe(2);
    expect(sent('collect')[1]!.at).toBeGreaterThanOrEqual(until - 50);
    expect(sent('collect')[1]!.body.events.map((e: any) => e.type)).toEqual(['login', 'seminar_signup', 'page_view']);
    await expect.poll(queued).toEqual([]);
    noErrors();
  });

  it('a 429 from /v1/decide: the next page keeps its defaults without asking until the time has passed', async () => {
    edge.answers.decide = () => failure(429, 'rate_limited', { 'Retry-After': '4' });
    await open();
    expect(sent('decide')).toHaveLength(1);
    expect(await queued()).toEqual(['page_view']);

    edge.answers = {};
    await open('/pricing');
    expect(sent('decide')).toHaveLength(1);
    expect(await dw((d) => d.refresh())).toBeUndefined(); // a re-decide waits as well
    expect(sent('decide')).toHaveLength(1);
    expect(Date.now()).toBeLessThan(Number(await stored('dw_retry'))); // (checked inside the wait)

    await page.waitForTimeout(Math.max(0, Number(await stored('dw_retry')) - Date.now()) + 100);
    await open('/');
    expect(sent('decide')).toHaveLength(2);
    noErrors();
  });

  it('a 503 with Retry-After is honoured the same way', async () => {
    await open();
    edge.answers.collect = () => failure(503, 'unavailable', { 'Retry-After': '5' });
    await dw((d) => d.track('login'));
    await expect.poll(() => sent('collect').length, { timeout: 5000 }).toBe(1);
    const until = Number(await stored('dw_retry'));
    expect(until - sent('collect')[0]!.at).toBeGreaterThan(4000);
    expect(until - sent('collect')[0]!.at).toBeLessThanOrEqual(5500);
    expect(await queued()).toEqual(['login']);
  });

  it('an absurd Retry-After waits an hour at most', async () => {
    await open();
    edge.answers.collect = () => failure(429, 'rate_limited', { 'Retry-After': '604800' });
    await dw((d) => d.track('login'));
    await expect.poll(() => sent('collect').length, { timeout: 5000 }).toBe(1);
    expect(Number(await stored('dw_retry')) - sent('collect')[0]!.at).toBeLessThanOrEqual(3_600_000 + 500);
    expect(Number(await stored('dw_retry')) - sent('collect')[0]!.at).toBeGreaterThan(3_500_000);
  });
});

describe('preview links', () => {
  it('removes dw_preview from the address bar, keeps other parameters and the hash, decides with the token', async () => {
    const url = `${hostUrl(host, '/pricing', { src: `${edge.url}/dw.js`, preview: 'preview.token.sig' })}&utm_source=mail#plans`;
    await context.addInitScript(() => ((window as any).__historyAtStart = history.length));
    await page.goto(url);
    await waitReady(page);
    expect(sent('decide')[0]!.body.preview).toBe('preview.token.sig');
    const now = new URL(page.url());
    expect(now.searchParams.has('dw_preview')).toBe(false);
    expect(now.searchParams.get('src')).toBe(`${edge.url}/dw.js`);
    expect(now.searchParams.get('utm_source')).toBe('mail');
    expect(now.pathname).toBe('/pricing');
    expect(now.hash).toBe('#plans');
    // Replaced, not pushed: Back does not return to the token.
    expect(await page.evaluate(() => history.length - (window as any).__historyAtStart)).toBe(0);
    expect(await page.locator('.dw-preview').innerText()).toBe('Preview: -');
    noErrors();
  });
});
