/**
 * @module
 * Helpers for the admin console's browser tests: a full build (snippet, demo and the admin
 * console), the local edge, signing in, and admin API calls to check what was (not) stored.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { waitReady } from './chromium';
import { ADMIN_TOKEN, root, startFreshEdge, type Edge } from './edge';

let built = false;

/**
 * Builds the assets once per test process: the admin console (vite) and the snippet with the
 * demo site. The snippet's size-budget failure is left to the snippet's own tests: the file is
 * written before that check, and these tests are about the console.
 */
export function buildAll(): void {
  if (built) return;
  execFileSync(path.join(root, 'node_modules/.bin/vite'), ['build', '--config', 'admin/vite.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'pipe',
    // vitest sets NODE_ENV=test, which would give an unminified development build.
    env: { ...process.env, NODE_ENV: 'production' },
  });
  try {
    execFileSync(process.execPath, [path.join(root, 'snippet/build.mjs')], { cwd: root, stdio: 'pipe' });
  } catch (err) {
    if (!existsSync(path.join(root, 'dist/public/dw.js'))) throw err;
  }
  built = true;
}

/** The local edge with a fresh database (migrations + demo seed), serving the built assets. */
export async function startAdminEdge(): Promise<Edge> {
  buildAll();
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
  await waitReady(page);
  const text = await page.locator('[data-dw-slot="hero"]').innerText();
  return { text: text.trim(), page, context };
}
