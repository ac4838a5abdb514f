/**
 * @module
 * Requests a visitor's browser makes to the edge per page view, in Chromium on the demo site:
 * `/dw.js` is cached for 5 minutes (then revalidated in the background), so after the first page
 * a page view costs its one decide (plus a collect when it tracked something).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startLocalEdge } from '../scripts/local-edge.mjs';

const PAGES = ['/demo/', '/demo/pricing.html', '/demo/blog.html', '/demo/case-studies.html', '/demo/'];

export async function benchPageRequests() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dw-bench-pages-'));
  const edge = await startLocalEdge({ persistTo: dir });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    // The DevTools protocol tells which requests the browser answered from its cache.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    const urls = new Map();
    const cached = new Set();
    cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
    cdp.on('Network.requestServedFromCache', (e) => cached.add(e.requestId));
    const rows = [];
    for (const [i, p] of PAGES.entries()) {
      urls.clear();
      cached.clear();
      await page.goto(`${edge.url}${p}`, { waitUntil: 'networkidle' });
      const count = (pathname, fromCache) =>
        [...urls].filter(([id, u]) => u.startsWith(edge.url) && new URL(u).pathname === pathname && cached.has(id) === fromCache).length;
      const dwNetwork = count('/dw.js', false);
      const decide = count('/v1/decide', false);
      const collect = count('/v1/collect', false);
      rows.push([
        `${i + 1}. ${p}`,
        String(dwNetwork),
        String(count('/dw.js', true)),
        String(decide),
        String(collect),
        String(dwNetwork + decide + collect),
      ]);
    }
    return {
      title: 'Requests to the edge per page view (Chromium, demo site, one visitor)',
      head: ['page view', '/dw.js from network', '/dw.js from cache', 'decide', 'collect', 'round trips'],
      rows,
    };
  } finally {
    await browser.close();
    await edge.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
