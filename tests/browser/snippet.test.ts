/**
 * @module
 * The snippet end to end: Chromium, a host site on its own origin under a strict CSP with Trusted
 * Types enforced, and the real local edge (`wrangler dev` + local D1 with the demo configuration).
 * Proves what the snippet promises: a matching visitor's slots are swapped, identify moves the
 * browser to the new visitor id the edge hands out, events made while the edge is down are
 * delivered later exactly once, the embed as snippet/README.md shows it works when the page's
 * own script runs first, and the demo site works under its own CSP.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium, waitReady, watchErrors } from './support/chromium';
import { ADMIN_TOKEN, adminVisitor, buildAssets, demoToken, root, sharedEdge, type Edge } from './support/edge';
import { closedPort, DEFAULT_CTA, DEFAULT_HERO, hostUrl, startHost, type HostPage, type Running } from './support/servers';

/** Texts of the demo configuration's variants (db/seed/demo.json). */
const HOT_LEAD_HERO = '導入をご検討中の方へ：1対1のオンライン相談';
const HOT_LEAD_CTA = '専任担当に相談する（無料）';

let edge: Edge;
let browser: Browser;
let host: Running;
let context: BrowserContext;
let page: Page;
let errors: ReturnType<typeof watchErrors>;

beforeAll(async () => {
  // The run's shared edge: the demo members and configuration as seeded, which no file on the
  // shared edge changes; these tests count only their own visitors' events.
  buildAssets();
  [edge, browser, host] = await Promise.all([sharedEdge(), launchChromium(), startHost()]);
});
afterAll(async () => {
  await Promise.all([browser?.close(), host?.close(), edge?.stop()]);
});
beforeEach(async () => {
  // The demo site's panel speaks the browser's language; these tests read it in Japanese.
  context = await browser.newContext({ locale: 'ja-JP' });
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
const text = (sel: string) => page.locator(sel).innerText();
/** The visitor's score in D1 (null until the writes queue stored the visitor). */
const scoreOf = (visitorId: string) =>
  adminVisitor(edge, visitorId).then(
    (v) => v.score as number,
    () => null,
  );
/** The events the edge stored for a visitor (newest first), through the admin API. */
async function memberEvents(visitorId: string): Promise<{ type: string; props: Record<string, unknown> }[]> {
  const res = await fetch(`${edge.url}/api/members/${visitorId}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  return res.ok ? ((await res.json()) as { events: { type: string; props: Record<string, unknown> }[] }).events : [];
}
const noErrors = () => {
  expect(errors.pageErrors).toEqual([]);
  expect(errors.consoleErrors).toEqual([]);
};

describe('against the real edge', () => {
  it('serves /dw.js within its size budget', async () => {
    const res = await fetch(`${edge.url}/dw.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect((await res.arrayBuffer()).byteLength).toBeLessThan(6000);
  });

  it('an anonymous visitor keeps the default content', async () => {
    await open();
    expect(await text('#hero')).toBe(DEFAULT_HERO);
    expect(await text('#cta')).toBe(DEFAULT_CTA);
    expect(await page.locator('[data-dw-pending]').count()).toBe(0);
    noErrors();
  });

  // Runs before the hot_lead test: both sign in as the demo's one SaaS member, whose profile then
  // has the pricing view that makes it a hot lead (hot_lead comes first in segment order).
  it('a consideration-stage visitor is put in an experiment arm, pushed to the dataLayer', async () => {
    await open();
    const token = await demoToken(edge, 'saas');
    await page.evaluate((t) => (window as any).dashiwake.identify(t), token);
    await page.click('#cs'); // data-dw-download="case_study"
    await dw((d) => d.refresh());
    const layer = (await page.evaluate(() => (window as any).dataLayer)) as any[];
    expect(layer).toHaveLength(1);
    expect(layer[0]).toMatchObject({ event: 'dw_exposure', dw_experiment: 'exp_consideration_hero', dw_segment: 'consideration' });
    expect(['control', 'case_a', 'case_b']).toContain(layer[0].dw_arm);
    const hero = await text('#hero');
    if (layer[0].dw_arm === 'control') expect(hero).toBe(DEFAULT_HERO);
    else expect(hero).not.toBe(DEFAULT_HERO);
    noErrors();
  });
  it('a 120-person SaaS member who viewed pricing and downloaded a whitepaper sees the hot_lead content', async () => {
    await open();
    // The anonymous first page view (1 point) reaches D1 through the writes queue; wait for it, so
    // the member's score read after identify already holds it.
    const anonymous = await dw((d) => d.visitorId());
    await expect.poll(() => scoreOf(anonymous), { timeout: 10_000 }).toBe(1);
    const token = await demoToken(edge, 'saas');
    await page.evaluate((t) => (window as any).dashiwake.identify(t), token);
    const vid = await dw((d) => d.visitorId()); // the id identify handed out
    expect(await text('#cta')).toBe(DEFAULT_CTA); // a target company, but no pricing view yet
    const before = (await adminVisitor(edge, vid)).score; // the member's history joined this visitor

    await open('/pricing');
    await page.click('#wp'); // data-dw-download="whitepaper"
    await dw((d) => d.refresh()); // carries the queued download with the decide
    await expect.poll(() => text('#hero')).toContain(HOT_LEAD_HERO);
    expect(await text('#cta')).toContain(HOT_LEAD_CTA);

    await open('/');
    expect(await text('#hero')).toContain(HOT_LEAD_HERO); // swapped before the slot is shown
    expect(await text('#cta')).toContain(HOT_LEAD_CTA);

    // page views (1 + 3 pricing) + 1, download 10 + 20 whitepaper: each counted once, once the
    // writes queue applied the last page (about a second).
    await expect.poll(() => scoreOf(vid), { timeout: 10_000 }).toBe(before + 35);
    expect((await adminVisitor(edge, vid)).segment).toBe('hot_lead');
    noErrors();
  });

  it('signing in as a manufacturer (not a target) re-decides the slots: newsletter CTA', async () => {
    await open();
    expect(await text('#cta')).toBe(DEFAULT_CTA);
    const token = await demoToken(edge, 'manufacturer');
    await page.evaluate((t) => (window as any).dashiwake.identify(t), token);
    expect(await text('#cta')).toContain('メールマガジンに登録する');
    expect(await text('#hero')).toBe(DEFAULT_HERO);
    noErrors();
  });

  it('identify moves the browser to the new visitor id the edge hands out, and says how it went', async () => {
    await open();
    const anonymous = await dw((d) => d.visitorId());
    const token = await demoToken(edge, 'manufacturer');
    const result = await page.evaluate((t) => (window as any).dashiwake.identify(t), token);
    expect(Object.keys(result).sort()).toEqual(['memberId', 'ok', 'segment']);
    expect(result).toMatchObject({ ok: true, memberId: 'demo-mfg-300' });

    const vid = await dw((d) => d.visitorId());
    expect(vid).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    expect(vid).not.toBe(anonymous);
    expect((await context.cookies(host.url)).find((c) => c.name === 'dw_vid')?.value).toBe(vid);
    expect(await page.evaluate(() => localStorage.getItem('dw_vid'))).toBe(vid);
    expect((await adminVisitor(edge, vid)).memberId).toBe('demo-mfg-300');

    // Later events go out under the new id, to the member.
    await dw((d) => d.track('seminar_signup', { seminar: 'after-rotation' }));
    await expect.poll(async () => (await memberEvents(vid)).map((e) => e.props.seminar), { timeout: 5000 }).toContain('after-rotation');
    await open('/pricing');
    expect(await dw((d) => d.visitorId())).toBe(vid);

    // A refused token: the edge's error code, and the browser stays who it was.
    expect(await page.evaluate(() => (window as any).dashiwake.identify('not.a.token'))).toEqual({ ok: false, error: 'invalid_token' });
    expect(await dw((d) => d.visitorId())).toBe(vid);
    noErrors();
  });

  it('events made while the edge is down are delivered later, exactly once', async () => {
    const down = `http://127.0.0.1:${await closedPort()}`;
    await open('/', { endpoint: down });
    expect(await text('#hero')).toBe(DEFAULT_HERO);
    const vid = await dw((d) => d.visitorId());
    await dw((d) => {
      d.track('download', { asset: '/files/wp.pdf', kind: 'whitepaper' }); // 10 + 20
      d.track('seminar_signup', { seminar: 'dx-2026' }); // 20
    });
    // The flush fails too: three events (the page view and the two) wait in localStorage.
    await expect
      .poll(async () => (await page.evaluate(() => localStorage.getItem('dw_queue'))) ?? '', { timeout: 5000 })
      .toMatch(/seminar_signup/);
    await page.waitForTimeout(1500);
    expect(JSON.parse((await page.evaluate(() => localStorage.getItem('dw_queue')))!)).toHaveLength(3);

    await open('/'); // the edge is reachable again
    await expect.poll(() => page.evaluate(() => localStorage.getItem('dw_queue'))).toBe('[]');
    // In D1 once the writes queue applied the decide (about a second).
    await expect.poll(() => scoreOf(vid), { timeout: 10_000 }).toBe(1 + 30 + 20 + 1);

    await open('/'); // nothing is sent twice
    await expect.poll(() => scoreOf(vid), { timeout: 10_000 }).toBe(1 + 30 + 20 + 1 + 1);
    await page.waitForTimeout(1500);
    expect(await scoreOf(vid)).toBe(1 + 30 + 20 + 1 + 1);
    noErrors();
  });
});

describe('the embed as snippet/README.md shows it', () => {
  /** The README's first fenced block of `lang` under "## Embed", as written there. */
  function readmeBlock(lang: 'html' | 'js'): string {
    const readme = readFileSync(path.join(root, 'snippet/README.md'), 'utf8');
    const embed = readme.slice(readme.indexOf('\n## Embed\n'));
    const block = embed.match(new RegExp('```' + lang + '\\n([\\s\\S]*?)```'));
    if (!block) throw new Error(`snippet/README.md: no \`\`\`${lang} block under "## Embed"`);
    return block[1]!;
  }

  it("the site's own script pushes a track command before /dw.js has loaded: it reaches the edge", async () => {
    const html = readmeBlock('html').replace('https://YOUR-EDGE', edge.url);
    const siteJs = readmeBlock('js');
    // A host page on its own origin: the README's embed, then a note of what the site's script met.
    const site = createServer((req, res) => {
      if (req.url === '/your-site.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(siteJs);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html>
<html><head><meta charset="utf-8"><title>README embed</title></head><body>
${html}
<script>window.__queueBeforeLoad = Array.isArray(window.dashiwake) && window.dashiwake.length;</script>
</body></html>`);
    });
    await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
    try {
      await page.goto(`http://localhost:${(site.address() as AddressInfo).port}/`);
      await waitReady(page);
      // The command waited in the queue (dw.js had not run yet), and nothing threw.
      expect(await page.evaluate(() => (window as any).__queueBeforeLoad)).toBe(1);
      const vid = await dw((d) => d.visitorId());
      await expect
        .poll(async () => (await memberEvents(vid)).map((e) => [e.type, e.props]), { timeout: 5000 })
        .toContainEqual(['seminar_signup', { seminar: 'dx-2026' }]);
      noErrors();
    } finally {
      site.closeAllConnections();
      await new Promise((r) => site.close(r));
    }
  });
});

describe('the embed as the top-level README.md shows it', () => {
  it('the page as written (queue line, async /dw.js, an inline push) sends the pushed event to the edge', async () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const embed = readme.slice(readme.indexOf('\n## Embed\n'));
    const block = embed.match(/```html\n([\s\S]*?)```/)?.[1];
    if (!block) throw new Error('README.md: no ```html block under "## Embed"');
    const html = block.replace(/https:\/\/dw\.your-site\.jp/g, edge.url);
    expect(html).toContain(`${edge.url}/dw.js`);
    const site = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html>\n<html>${html}</html>`);
    });
    await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
    try {
      await page.goto(`http://localhost:${(site.address() as AddressInfo).port}/`);
      await waitReady(page);
      const vid = await dw((d) => d.visitorId());
      await expect
        .poll(async () => (await memberEvents(vid)).map((e) => [e.type, e.props]), { timeout: 5000 })
        .toContainEqual(['seminar_signup', { seminar: 'dx-2026' }]);
      noErrors();
    } finally {
      site.closeAllConnections();
      await new Promise((r) => site.close(r));
    }
  });
});

describe('the demo site (/demo)', () => {
  it('works under its own strict CSP: sign in as a SaaS company, view pricing, download → hot_lead', async () => {
    await page.goto(`${edge.url}/demo/`);
    await waitReady(page);
    const hero = page.locator('[data-dw-slot="hero"]');
    expect(await hero.innerText()).toContain('会員データを、売上につながる体験へ。');
    await page.getByRole('button', { name: /SaaS 企業/ }).click();
    // The sign-in's own message, said once identify has answered and the browser took the new
    // visitor id: the console's button says "SaaS" already, and leaving the page before the
    // answer keeps the old id (whose token knows no traits) for the walk.
    await expect.poll(() => page.locator('.dw-console').innerText()).toContain('SaaS 企業の会員としてログインしました');
    await page.goto(`${edge.url}/demo/pricing.html`);
    await waitReady(page);
    await page.goto(`${edge.url}/demo/`);
    await waitReady(page);
    const popup = context.waitForEvent('page');
    await page.locator('[data-dw-download="whitepaper"]').click();
    await (await popup).close();
    await expect.poll(() => hero.innerText()).toContain(HOT_LEAD_HERO);
    await expect.poll(() => page.locator('.dw-console').innerText()).toContain('ホットリード');
    noErrors();
  });
});
