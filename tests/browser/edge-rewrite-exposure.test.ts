/**
 * @module
 * Rewrite mode and analytics, in Chromium against the real local edge in front of the demo site's
 * origin: on a page the edge decided, the snippet sends no decide, yet pushes to `dataLayer` the
 * same `dw_exposure` entries snippet mode pushes for the same visitor and page — read from the
 * edge's decision block under the demo pages' strict CSP (no inline scripts, Trusted Types) — and
 * `ready` callbacks receive that decision.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signJwt } from '../../worker/lib/jwt';
import { launchChromium, waitReady, watchErrors } from './support/chromium';
import { buildAssets, root, startFreshEdge, type Edge } from './support/edge';

let origin: { url: string; close(): Promise<void> };
let edge: Edge;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  buildAssets();
  const mod = await import(pathToFileURL(path.join(root, 'scripts/demo-origin.mjs')).href);
  origin = await mod.startDemoOrigin();
  [edge, browser] = await Promise.all([startFreshEdge('dw-rewrite-exposure-', { ORIGIN_URL: origin.url }), launchChromium()]);
  context = await browser.newContext({ locale: 'ja-JP' });
  // A GTM-style site: dataLayer exists before any script of the page runs.
  await context.addInitScript(() => {
    (window as any).dataLayer = [];
  });
  page = await context.newPage();
});
afterAll(async () => {
  await context?.close();
  await Promise.all([browser?.close(), edge?.stop(), origin?.close()]);
});

/** The page's dw_exposure entries, in the order pushed. */
const exposures = () => page.evaluate(() => (window as any).dataLayer.filter((e: any) => e.event === 'dw_exposure'));

describe('a page the edge decided', () => {
  it('pushes the same dw_exposure entries to dataLayer as snippet mode, with no decide, under a strict CSP', async () => {
    const errors = watchErrors(page);
    const decides: string[] = [];
    page.on('request', (req: Request) => {
      if (new URL(req.url()).pathname === '/v1/decide') decides.push(req.url());
    });

    // A first visit through the edge (it gives the browser its id), then this file's own member:
    // SaaS, 120 employees, and a case-study download — the consideration segment, whose hero is an
    // experiment (control / case_a / case_b).
    await page.goto(`${edge.url}/`);
    await waitReady(page);
    const token = await signJwt(
      { sub: `m-exposure-${crypto.randomUUID()}`, traits: { industry: 'SaaS', employees: 120 }, exp: Math.floor(Date.now() / 1000) + 600 },
      'dev-identify-secret',
    );
    expect(await page.evaluate((t) => (window as any).dashiwake.identify(t), token)).toMatchObject({ ok: true });
    const collected = page.waitForResponse((res) => new URL(res.url()).pathname === '/v1/collect' && res.ok());
    await page.evaluate(() => (window as any).dashiwake.track('download', { asset: '/files/case.pdf', kind: 'case_study' }));
    await collected;

    // Rewrite mode: the hero arrives decided, the decision block after the page. (The decide
    // identify made on the first page is not this page's.)
    decides.length = 0;
    const response = await page.goto(`${edge.url}/blog.html`);
    const html = await response!.text();
    expect(html).toMatch(/<meta name="dw:decided" content="[A-Za-z0-9_-]+">/);
    expect(html).toContain('<script type="application/json" id="dw-decision">');
    const ready: any = await waitReady(page);
    const edgeEntries = await exposures();
    expect(edgeEntries).toHaveLength(1);
    const [entry] = edgeEntries;
    expect(entry).toEqual({
      event: 'dw_exposure',
      dw_experiment: 'exp_consideration_hero',
      dw_arm: entry.dw_arm,
      dw_segment: 'consideration',
    });
    expect(['control', 'case_a', 'case_b']).toContain(entry.dw_arm);
    // What the page shows is that arm: its variant in the slot (the control keeps the page's own hero).
    const shown = await page.locator('[data-dw-slot="hero"]').getAttribute('data-dw-decided');
    expect(shown).toBe(entry.dw_arm === 'control' ? 'default' : `consideration_${entry.dw_arm}`);
    // `ready` gets the edge's decision, as it gets the decide answer in snippet mode.
    expect(ready.segment.key).toBe('consideration');
    expect(ready.slots.hero).toMatchObject({ experiment: 'exp_consideration_hero', arm: entry.dw_arm });
    expect(decides).toEqual([]);

    // Snippet mode, same browser and page: the snippet's own decide pushes exactly the same entry.
    await page.goto(`${edge.url}/demo/blog.html`);
    await waitReady(page);
    expect(decides).toHaveLength(1);
    expect(await exposures()).toEqual(edgeEntries);

    // The data block broke no CSP rule and nothing threw.
    expect(errors.pageErrors).toEqual([]);
    expect(errors.consoleErrors).toEqual([]);
  });
});
