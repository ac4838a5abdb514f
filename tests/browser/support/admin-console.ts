/**
 * @module
 * Helpers for the admin console's browser tests: the edge, Chromium and a signed-in page in one
 * call (`adminConsole`), signing in, and admin API calls to check what was (not) stored.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll } from 'vitest';
import { launchChromium, waitReady, watchErrors } from './chromium';
import { ADMIN_TOKEN, type Edge, sharedEdge, startFreshEdge } from './edge';

export type Locale = 'en-US' | 'ja-JP';

export interface AdminConsole {
  edge: Edge;
  browser: Browser;
  /** A page in a fresh context of its own, signed in to the console (unless `signIn: false`). */
  page: Page;
  /** What went wrong on `page` (uncaught errors, console errors). */
  errors: ReturnType<typeof watchErrors>;
  /** Another signed-in page, in a fresh context (no cookies, no storage) of its own. */
  signedInPage(locale?: Locale): Promise<Page>;
}

export interface AdminConsoleOptions {
  /** The language of `page` (default English). */
  locale?: Locale;
  /**
   * `'fresh'` (default): an edge of the file's own with a fresh demo database, for tests that edit
   * the configuration or count what is stored. `'shared'`: the run's shared edge, for tests that
   * only read and never change the configuration.
   */
  edge?: 'fresh' | 'shared';
  /** `false`: `page` is not signed in yet (the file seeds data first, then calls `signIn`). */
  signIn?: boolean;
}

/**
 * The edge, Chromium and a page signed in to the console, for a whole test file; closed after
 * the file's tests (registered here). Call it at the top of the file:
 * @example
 *   const { edge, page, errors } = await adminConsole({ locale: 'ja-JP' });
 *   it('…', async () => { await page.goto(`${edge.url}/admin/segments`); });
 */
export async function adminConsole(options: AdminConsoleOptions = {}): Promise<AdminConsole> {
  let edge: Edge | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await edge?.stop();
  };
  afterAll(close);
  try {
    // Both settle before going on, so that a failure of one still closes the other.
    const started = await Promise.allSettled([
      (options.edge === 'shared' ? sharedEdge() : startFreshEdge('dw-admin-')).then((x) => (edge = x)),
      launchChromium().then((x) => (browser = x)),
    ]);
    for (const s of started) if (s.status === 'rejected') throw s.reason;
    const b = browser as Browser;
    const e = edge as Edge;
    const signedInPage = async (locale: Locale = 'en-US') => {
      const page = await (await freshContext(b, locale)).newPage();
      await signIn(page, e);
      return page;
    };
    const page = await (await freshContext(b, options.locale)).newPage();
    const errors = watchErrors(page);
    if (options.signIn !== false) await signIn(page, e);
    return { edge: e, browser: b, page, errors, signedInPage };
  } catch (err) {
    // A failed start fails the file before its hooks run: close what did start.
    await close();
    throw err;
  }
}

/** An edge of the file's own with a fresh demo database; prefer `adminConsole()`. */
export function startAdminEdge(): Promise<Edge> {
  return startFreshEdge('dw-admin-');
}

export async function adminApi<T = any>(edge: Edge, method: string, apiPath: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${edge.url}/api${apiPath}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

/** A fresh browser context (no cookies, no localStorage) in the given language. */
export function freshContext(browser: Browser, locale: Locale = 'en-US'): Promise<BrowserContext> {
  return browser.newContext({ locale, viewport: { width: 1366, height: 900 } });
}

/** Opens /admin and signs in with the dev admin token. */
export async function signIn(page: Page, edge: Edge): Promise<void> {
  await page.goto(`${edge.url}/admin/`);
  await page.locator('input[name=token]').fill(ADMIN_TOKEN);
  await page.locator('form button[type=submit]').click();
  await page.locator('nav.sidenav').waitFor();
}

/**
 * Lets the next `page.goto` leave an editor with unsaved edits without the browser's "leave
 * site?" prompt. Accepting that prompt from a dialog handler races the navigation (Playwright's
 * goto then fails with net::ERR_ABORTED now and then), so a test that only wants a clean start
 * makes the console's `beforeunload` listener ask for nothing: on this document only, a
 * `beforeunload` event's `preventDefault` and `returnValue` do nothing. The next page load has
 * the browser's own again. (An init script would reach the sandboxed preview frame too.)
 */
export async function leaveWithoutPrompt(page: Page): Promise<void> {
  await page.evaluate(() => {
    Object.defineProperty(BeforeUnloadEvent.prototype, 'preventDefault', { value() {}, configurable: true });
    Object.defineProperty(BeforeUnloadEvent.prototype, 'returnValue', { get: () => '', set() {}, configurable: true });
  });
}

/** Opens a demo page as a brand-new visitor and returns the hero slot's text once decided. */
export async function demoHero(browser: Browser, url: string): Promise<{ text: string; page: Page; context: BrowserContext }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await waitReady(page);
  const text = await page.locator('[data-dw-slot="hero"]').innerText();
  return { text: text.trim(), page, context };
}
