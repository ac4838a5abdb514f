/**
 * @module
 * The snippet in Chromium against a fake edge whose answers we choose: whatever the edge, the
 * network or the page does, the page keeps working, defaults stay visible after the timeout, and
 * nothing throws into it. Also the consent, opt-out, preview and Trusted Types paths.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium, waitReady, watchErrors } from './support/chromium';
import { buildAssets } from './support/edge';
import {
  closedPort,
  DEFAULT_CTA,
  DEFAULT_HERO,
  hostUrl,
  startFakeEdge,
  startHost,
  type FakeEdge,
  type HostPage,
  type Running,
} from './support/servers';

let browser: Browser;
let host: Running;
let fake: FakeEdge;
let context: BrowserContext;
let page: Page;
let errors: ReturnType<typeof watchErrors>;

beforeAll(async () => {
  buildAssets();
  [browser, host, fake] = await Promise.all([launchChromium(), startHost(), startFakeEdge()]);
});
afterAll(async () => {
  await Promise.all([browser?.close(), host?.close(), fake?.close()]);
});
beforeEach(async () => {
  fake.mode = 'ok';
  fake.requests.length = 0;
  context = await browser.newContext();
  page = await context.newPage();
  errors = watchErrors(page);
});
afterEach(async () => {
  await context.close();
});

const open = async (p: Partial<HostPage> = {}, pathname = '/') => {
  await page.goto(hostUrl(host, pathname, { src: `${fake.url}/dw.js`, ...p }));
  return waitReady(page);
};
const text = (sel: string) => page.locator(sel).innerText();
const pending = () => page.locator('[data-dw-pending]').count();
const stored = (key: string) => page.evaluate((k) => localStorage.getItem(k), key);
const noErrors = () => {
  expect(errors.pageErrors).toEqual([]);
  expect(errors.consoleErrors).toEqual([]);
};
const decides = () => fake.requests.filter((r) => r.path === '/v1/decide');

describe('a healthy edge', () => {
  it('sends one text/plain decide with the page view and swaps the slot', async () => {
    await open({}, '/pricing');
    expect(await text('#hero')).toBe('Fake edge hero');
    expect(await text('#cta')).toBe(DEFAULT_CTA); // decision null → default stays
    expect(await pending()).toBe(0);
    expect(decides()).toHaveLength(1);
    const [req] = decides();
    expect(req!.contentType).toMatch(/^text\/plain/);
    expect(req!.body).toMatchObject({ slots: ['hero', 'cta'], url: expect.stringContaining('/pricing') });
    expect(req!.body.visitorId).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    expect(req!.body.events).toHaveLength(1);
    expect(req!.body.events[0]).toMatchObject({ type: 'page_view', props: { category: 'pricing' } });
    expect(req!.body.events[0].id).toMatch(/^[A-Za-z0-9_-]{20,64}$/);
    // The visitor id lives in a first-party cookie and in localStorage.
    const cookies = await context.cookies(host.url);
    expect(cookies.find((c) => c.name === 'dw_vid')).toMatchObject({ value: req!.body.visitorId, sameSite: 'Lax', path: '/' });
    expect(await stored('dw_vid')).toBe(req!.body.visitorId);
    // Exposure pushed to the dataLayer; ready callbacks ran once.
    expect(await page.evaluate(() => (window as any).dataLayer)).toEqual([
      { event: 'dw_exposure', dw_experiment: 'exp1', dw_arm: 'a', dw_segment: 'hot_lead' },
    ]);
    expect(await page.evaluate(() => (window as any).__readyCalls)).toBe(1);
    noErrors();
  });

  it('runs before the body is parsed (async script from cache): waits for the slots', async () => {
    await open({ slowBody: 600 });
    expect(decides()).toHaveLength(1);
    expect(decides()[0]!.body.slots).toEqual(['hero', 'cta']);
    expect(await text('#hero')).toBe('Fake edge hero');
    noErrors();
  });

  it('keeps the visitor id across pages and batches tracked events to /v1/collect', async () => {
    await open();
    const vid = await page.evaluate(() => (window as any).dashiwake.visitorId());
    await page.evaluate(() => {
      const dw = (window as any).dashiwake;
      dw.track('seminar_signup', { seminar: 'dx-2026' });
      dw.convert('newsletter_signup', { value: 1 });
    });
    await page.click('#wp');
    await expect.poll(() => fake.requests.filter((r) => r.path === '/v1/collect').length, { timeout: 5000 }).toBe(1);
    const collect = fake.requests.find((r) => r.path === '/v1/collect')!;
    expect(collect.contentType).toMatch(/^text\/plain/);
    expect(collect.body.visitorId).toBe(vid);
    expect(collect.body.events.map((e: any) => [e.type, e.props])).toEqual([
      ['seminar_signup', { seminar: 'dx-2026' }],
      ['conversion', { value: 1, goal: 'newsletter_signup' }],
      ['download', { asset: expect.stringMatching(/#whitepaper$/), kind: 'whitepaper' }],
    ]);
    await expect.poll(() => stored('dw_queue')).toBe('[]');
    await open();
    expect(decides().at(-1)!.body.visitorId).toBe(vid);
    noErrors();
  });
});

describe('re-deciding (identify, refresh)', () => {
  it('puts the default content back when a slot no longer has a variant', async () => {
    fake.mode = 'nothing';
    await open();
    await page.evaluate(() => document.querySelector('#hero h1')!.addEventListener('click', () => ((window as any).__clicked = 1)));
    fake.mode = 'ok';
    await page.evaluate(() => (window as any).dashiwake.refresh());
    expect(await text('#hero')).toBe('Fake edge hero');
    fake.mode = 'nothing';
    await page.evaluate(() => (window as any).dashiwake.refresh());
    expect(await text('#hero')).toBe(DEFAULT_HERO);
    // The very same nodes come back (listeners the page attached still work).
    await page.click('#hero h1');
    expect(await page.evaluate(() => (window as any).__clicked)).toBe(1);
    noErrors();
  });
});

describe('when the edge fails', () => {
  it('edge unreachable: defaults stay visible and nothing throws', async () => {
    const port = await closedPort();
    await open({ endpoint: `http://127.0.0.1:${port}` });
    expect(await text('#hero')).toBe(DEFAULT_HERO);
    expect(await text('#cta')).toBe(DEFAULT_CTA);
    expect(await pending()).toBe(0);
    // The undelivered page view waits in localStorage for the next page.
    expect(JSON.parse((await stored('dw_queue'))!)).toMatchObject([{ type: 'page_view' }]);
    noErrors();
  });

  it('edge hanging: slots show their defaults at the timeout, and a late answer changes nothing', async () => {
    fake.mode = 'slow';
    fake.delay = 1200;
    const t0 = Date.now();
    await open({ timeout: 300 });
    expect(Date.now() - t0).toBeLessThan(1200);
    expect(await pending()).toBe(0);
    expect(await text('#hero')).toBe(DEFAULT_HERO);
    await expect.poll(() => stored('dw_queue'), { timeout: 5000 }).toBe('[]'); // the late answer did arrive
    expect(await text('#hero')).toBe(DEFAULT_HERO);
    noErrors();
  });

  it('edge never answering: the page is fine and keeps its events', async () => {
    fake.mode = 'hang';
    await open({ timeout: 300 });
    expect(await text('#hero')).toBe(DEFAULT_HERO);
    expect(await pending()).toBe(0);
    expect(JSON.parse((await stored('dw_queue'))!)).toHaveLength(1);
    noErrors();
  });

  it('500: defaults stay, events are kept for a retry', async () => {
    fake.mode = 'error500';
    await open();
    await page.evaluate(() => (window as any).dashiwake.track('login'));
    await expect.poll(() => fake.requests.filter((r) => r.path === '/v1/collect').length, { timeout: 5000 }).toBe(1);
    expect(await text('#hero')).toBe(DEFAULT_HERO);
    expect(JSON.parse((await stored('dw_queue'))!).map((e: any) => e.type)).toEqual(['page_view', 'login']);
    // Next page: the edge is back, the kept events ride along with the decide.
    fake.mode = 'ok';
    await open();
    expect(
      decides()
        .at(-1)!
        .body.events.map((e: any) => e.type),
    ).toEqual(['page_view', 'login', 'page_view']);
    expect(await text('#hero')).toBe('Fake edge hero');
    await expect.poll(() => stored('dw_queue')).toBe('[]');
    expect(errors.pageErrors).toEqual([]);
  });

  it('degraded decide / 503 collect: defaults stay, the events are kept and delivered later', async () => {
    fake.mode = 'degraded';
    await open();
    expect(await text('#hero')).toBe(DEFAULT_HERO);
    await page.evaluate(() => (window as any).dashiwake.track('login'));
    await expect.poll(() => fake.requests.filter((r) => r.path === '/v1/collect').length, { timeout: 5000 }).toBe(1);
    expect(JSON.parse((await stored('dw_queue'))!).map((e: any) => e.type)).toEqual(['page_view', 'login']);
    // The 503 asked for a pause (snippet-session.test.ts checks it is kept); here it has passed.
    expect(Number(await stored('dw_retry'))).toBeGreaterThan(Date.now());
    await page.evaluate(() => localStorage.setItem('dw_retry', '0'));
    fake.mode = 'ok';
    await open();
    expect(
      decides()
        .at(-1)!
        .body.events.map((e: any) => e.type),
    ).toEqual(['page_view', 'login', 'page_view']);
    await expect.poll(() => stored('dw_queue')).toBe('[]');
    expect(errors.pageErrors).toEqual([]);
  });

  it('invalid JSON: defaults stay, nothing throws', async () => {
    fake.mode = 'badjson';
    await open();
    expect(await text('#hero')).toBe(DEFAULT_HERO);
    expect(await pending()).toBe(0);
    noErrors();
  });
});

describe('nothing throws into the host page', () => {
  it('garbage calls to the API', async () => {
    await open();
    const results = await page.evaluate(() => {
      const dw = (window as any).dashiwake;
      const cyclic: any = {};
      cyclic.self = cyclic;
      const calls: [string, ...unknown[]][] = [
        ['track'],
        ['track', null],
        ['track', 42, 'x'],
        ['track', { type: 'x' }],
        ['track', 'Bad Type!'],
        ['track', 'custom', cyclic],
        ['track', 'custom', { big: 'x'.repeat(5000) }],
        ['track', 'custom', { n: BigInt(1) }],
        ['convert'],
        ['convert', null, 'props'],
        ['identify'],
        ['identify', 123],
        ['ready', 'not a function'],
        [
          'ready',
          () => {
            throw new Error('callback error');
          },
        ],
        ['consent'],
        ['optIn', 1, 2, 3],
        ['push'],
        ['push', null],
        ['push', 5],
        ['push', ['nope']],
        ['push', ['push', ['push']]],
        ['push', ['track']],
        ['visitorId', 'x'],
      ];
      return calls.map(([m, ...args]) => {
        try {
          const r = dw[m](...args);
          if (r && typeof r.then === 'function')
            r.then(null, () => {
              throw new Error('rejected');
            });
          return 'ok';
        } catch (e) {
          return `threw: ${e}`;
        }
      });
    });
    expect(results.every((r) => r === 'ok')).toBe(true);
    await page.waitForTimeout(1500); // let any flush and promise settle
    noErrors();
  });

  it('localStorage throws on every access', async () => {
    await context.addInitScript(() => {
      Object.defineProperty(window, 'localStorage', {
        get() {
          throw new DOMException('denied', 'SecurityError');
        },
      });
    });
    await open();
    expect(await text('#hero')).toBe('Fake edge hero');
    const vid = decides()[0]!.body.visitorId;
    expect(vid).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    await page.evaluate(() => (window as any).dashiwake.track('login'));
    await expect.poll(() => fake.requests.filter((r) => r.path === '/v1/collect').length, { timeout: 5000 }).toBe(1);
    // The cookie still carries the visitor to the next page.
    await open();
    expect(decides().at(-1)!.body.visitorId).toBe(vid);
    noErrors();
  });

  it('a page that refuses our Trusted Types policy keeps its defaults', async () => {
    await open({ tt: 'someone-else' });
    expect(await text('#hero')).toBe(DEFAULT_HERO);
    expect(await pending()).toBe(0);
    expect(errors.pageErrors).toEqual([]);
    // The browser itself reports the refused policy; nothing else goes wrong.
    expect(errors.consoleErrors.every((m) => /Trusted Type|TrustedTypePolicy|trusted-types/i.test(m))).toBe(true);
  });
});

describe('privacy switches', () => {
  it('consent required: nothing stored or sent until the site says yes', async () => {
    await page.goto(hostUrl(host, '/', { src: `${fake.url}/dw.js`, consent: true, timeout: 300 }));
    await waitReady(page);
    expect(decides()).toHaveLength(0);
    await page.evaluate(() => (window as any).dashiwake.track('login'));
    await page.waitForTimeout(1200);
    expect(fake.requests).toHaveLength(0);
    expect(await context.cookies(host.url)).toEqual([]);
    expect(await stored('dw_vid')).toBeNull();
    expect(await stored('dw_queue')).toBeNull();
    await page.evaluate(() => (window as any).dashiwake.push(['consent', true]));
    await expect.poll(() => decides().length).toBe(1);
    expect((await context.cookies(host.url)).map((c) => c.name)).toEqual(['dw_vid']);
    noErrors();
  });

  it('consent required and not given: the defaults show at once, no slot ever waits', async () => {
    await page.addInitScript(() => {
      (window as any).__everPending = 0;
      new MutationObserver((records) => {
        for (const r of records) if (r.attributeName === 'data-dw-pending') (window as any).__everPending++;
      }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-dw-pending'] });
    });
    await open({ consent: true, timeout: 5000 });
    expect(await text('#hero')).toBe(DEFAULT_HERO);
    expect(await page.evaluate(() => (window as any).__everPending)).toBe(0);
    expect(decides()).toHaveLength(0);
    noErrors();
  });

  it('consent given after the page-load phase still personalises this page, and is remembered on the next', async () => {
    await open({ consent: true, timeout: 300 });
    await page.waitForTimeout(600);
    expect(await text('#hero')).toBe(DEFAULT_HERO);
    await page.evaluate(() => (window as any).dashiwake.push(['consent', true]));
    await expect.poll(() => text('#hero')).toBe('Fake edge hero');
    expect(await stored('dw_consent')).toBe('1');
    // The next page: no consent call from the site this time, yet it is decided (and waits as usual).
    await open({ consent: true, timeout: 1500 });
    expect(decides()).toHaveLength(2);
    expect(await text('#hero')).toBe('Fake edge hero');
    // Withdrawn: forgotten, and the page after that sends nothing.
    await page.evaluate(() => (window as any).dashiwake.consent(false));
    expect(await stored('dw_consent')).toBeNull();
    await open({ consent: true, timeout: 300 });
    expect(decides()).toHaveLength(2);
    noErrors();
  });

  it('adopts a dw_vid cookie the site’s server set and leaves it as it is (no script rewrite)', async () => {
    const expires = Math.floor(Date.now() / 1000) + 100 * 86_400;
    await context.addCookies([{ name: 'dw_vid', value: 'server-made-visitor-id-01', url: host.url, expires, sameSite: 'Lax' }]);
    await open();
    expect(decides()[0]!.body.visitorId).toBe('server-made-visitor-id-01');
    const cookie = (await context.cookies(host.url)).find((c) => c.name === 'dw_vid');
    expect(cookie).toMatchObject({ value: 'server-made-visitor-id-01' });
    expect(Math.round(cookie!.expires)).toBe(expires);
    noErrors();
  });

  it('optOut stops everything and forgets the visitor; optIn starts again', async () => {
    await open();
    await page.evaluate(() => (window as any).dashiwake.optOut());
    expect(await stored('dw_optout')).toBe('1');
    expect(await stored('dw_vid')).toBeNull();
    // No id left: the cookie keeps "-", which also tells an edge in rewrite mode to make none.
    expect((await context.cookies(host.url)).map((c) => [c.name, c.value])).toEqual([['dw_vid', '-']]);
    expect(await page.evaluate(() => (window as any).dashiwake.visitorId())).toBeNull();
    const before = fake.requests.length;
    await page.evaluate(() => (window as any).dashiwake.track('login'));
    await open(); // a new page view while opted out
    expect(fake.requests.length).toBe(before);
    expect(await text('#hero')).toBe(DEFAULT_HERO);
    expect(await pending()).toBe(0);
    await page.evaluate(() => (window as any).dashiwake.optIn());
    await expect.poll(() => decides().length).toBe(2);
    noErrors();
  });

  it('preview: sends the token, stores nothing, shows the banner', async () => {
    await open({ preview: 'preview.token.sig' });
    const [req] = decides();
    expect(req!.body.preview).toBe('preview.token.sig');
    expect(await text('#hero')).toBe('Fake edge hero');
    expect(await text('.dw-preview')).toBe('Preview: ホットリード');
    expect(await context.cookies(host.url)).toEqual([]);
    expect(await stored('dw_queue')).toBeNull();
    noErrors();
  });
});
