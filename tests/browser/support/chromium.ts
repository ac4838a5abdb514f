/**
 * @module
 * Launches the system Chromium through playwright-core (no downloaded browsers: CI installs the
 * Debian `chromium` package). The flags keep it off the network it cannot reach here, which
 * otherwise makes it stall on background requests.
 */
import { chromium, type Browser, type Download, type Page } from 'playwright-core';
import { inject } from 'vitest';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * A browser for this test file: a connection to the run's one Chromium (started by
 * support/global-setup.ts), or a Chromium of its own when the file runs without that setup.
 * `close()` closes this file's contexts and disconnects; the shared Chromium stays up.
 * @example
 *   const browser = await launchChromium();
 *   const context = await browser.newContext({ locale: 'ja-JP' });
 */
export function launchChromium(): Promise<Browser> {
  const endpoint = inject('browserRun')?.chromiumEndpoint;
  if (endpoint) return chromium.connect(endpoint);
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/**
 * A download's bytes. Read through the connection, as `download.path()` is not available on the
 * run's shared Chromium (a browser connected to, not launched by, this process).
 * @example
 *   const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
 *   const bytes = await downloaded(download);
 */
export async function downloaded(download: Download): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Records what the page reports as going wrong: uncaught exceptions (and unhandled rejections)
 * and console errors. Chromium logs failed requests ("Failed to load resource", net::ERR_…) as
 * console errors; those come from the browser, not from a script, so they are kept apart.
 */
export function watchErrors(page: Page) {
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  const networkErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = m.text();
    (/Failed to load resource|net::ERR_/.test(text) ? networkErrors : consoleErrors).push(text);
  });
  return { pageErrors, consoleErrors, networkErrors };
}

/** Resolves once the snippet is ready on the page (decided or timed out), via the pre-load queue. */
export function waitReady(page: Page, timeout = 10_000): Promise<unknown> {
  return page.evaluate(
    (ms) =>
      new Promise((resolve, reject) => {
        const w = window as any;
        setTimeout(() => reject(new Error('dashiwake never became ready')), ms);
        (w.dashiwake = w.dashiwake || []).push(['ready', (r: unknown) => resolve(r ?? null)]);
      }),
    timeout,
  );
}
