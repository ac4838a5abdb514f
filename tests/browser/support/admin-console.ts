/**
 * @module
 * Helpers for the admin console's browser tests: a full build (snippet, demo and the admin
 * console), the local edge, signing in, and admin API calls to check what was (not) stored.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ADMIN_TOKEN, root, startEdge, type Edge } from './edge';

let built = false;

/** `node scripts/build.mjs` once per test process: the admin console is part of the assets. */
export function buildAll(): void {
  if (built) return;
  execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'pipe' });
  built = true;
}

export async function startAdminEdge(): Promise<Edge> {
  buildAll();
  return startEdge();
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
export function freshContext(browser: Browser, locale: 'en-US' | 'ja-JP' = 'en-US'): Promise<BrowserContext> {
  return browser.newContext({ locale, viewport: { width: 1366, height: 900 } });
}

/** Opens /admin and signs in with the dev admin token. */
export async function signIn(page: Page, edge: Edge): Promise<void> {
  await page.goto(`${edge.url}/admin/`);
  await page.locator('input[name=token]').fill(ADMIN_TOKEN);
  await page.locator('form button[type=submit]').click();
  await page.locator('nav.sidenav').waitFor();
}

/** Opens a demo page as a brand-new visitor and returns the hero slot's text once decided. */
export async function demoHero(browser: Browser, url: string): Promise<{ text: string; page: Page; context: BrowserContext }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  const hero = page.locator('[data-dw-slot="hero"]');
  await page.waitForFunction(() => {
    const el = document.querySelector('[data-dw-slot="hero"]');
    return !!el && getComputedStyle(el).visibility !== 'hidden' && !el.hasAttribute('aria-busy');
  });
  // Give the swap a moment after the decide answered.
  await page.waitForTimeout(300);
  return { text: (await hero.innerText()).trim(), page, context };
}
