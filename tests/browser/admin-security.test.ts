/**
 * The admin console's safety defaults in Chromium against the real local edge: its pages carry
 * the security headers, it works under its own Content-Security-Policy (no violation on any
 * screen, the variant preview frame included), and the admin token lives in sessionStorage for
 * the browser session only — never in localStorage, from which an older version's token is
 * removed.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { watchErrors } from './support/chromium';
import { adminConsole, freshContext, signIn } from './support/admin-console';

const TOKEN_KEY = 'dw.admin.token';

// Reads only: the run's shared edge.
const { edge, browser } = await adminConsole({ edge: 'shared', signIn: false });

const stored = (page: Page) =>
  page.evaluate((key) => ({ session: sessionStorage.getItem(key), local: localStorage.getItem(key) }), TOKEN_KEY);

/** CSP violations, as Chromium reports them in the console (of the page and of its frames). */
const cspErrors = (errors: ReturnType<typeof watchErrors>) => errors.consoleErrors.filter((e) => /Content Security Policy/i.test(e));

describe('admin console safety', () => {
  it('/admin/ carries the security headers', async () => {
    const context = await freshContext(browser);
    const page = await context.newPage();
    const res = await page.goto(`${edge.url}/admin/`);
    const headers = res!.headers();
    const csp = headers['content-security-policy'] ?? '';
    for (const directive of [
      "script-src 'self'",
      "style-src 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "object-src 'none'",
      "form-action 'self'",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['x-content-type-options']).toBe('nosniff');
    // The bare /admin redirect is covered too.
    const bare = await fetch(`${edge.url}/admin`, { redirect: 'manual' });
    expect(bare.status).toBe(301);
    expect(bare.headers.get('content-security-policy')).toBe(csp);
    await context.close();
  });

  it('renders under its CSP on every screen, the variant preview included', async () => {
    const context = await freshContext(browser);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await signIn(page, edge);
    // The console's stylesheet (a file from /admin/assets) applied.
    expect(await page.locator('nav.sidenav').evaluate((el) => getComputedStyle(el).borderRightStyle)).toBe('solid');
    for (const path of ['segments', 'scoring', 'categories', 'content', 'experiments', 'lift', 'members', 'preview']) {
      await page.goto(`${edge.url}/admin/${path}`);
      await page.locator('main h1, .content h1').first().waitFor();
    }
    await page.goto(`${edge.url}/admin/content`);
    await page.locator('a[data-cell="hero:hot_lead"]').click();
    const html = page.getByLabel('HTML');
    // The stored variant first (typing before it arrived could be replaced by it), then the edit.
    await expect.poll(() => html.inputValue()).not.toBe('');
    await html.fill('<h2 id="previewed">Preview under CSP</h2>');
    const frame = page.frameLocator('iframe.preview-frame');
    await frame.locator('#previewed').waitFor();
    // The frame's stylesheet (a file, allowed by style-src 'self') applied: 16px body margin.
    await expect.poll(() => frame.locator('body').evaluate((b) => getComputedStyle(b).marginTop)).toBe('16px');
    expect(cspErrors(errors)).toEqual([]);
    expect(errors.pageErrors).toEqual([]);
    await context.close();
  });

  it('keeps the token in sessionStorage, not localStorage', async () => {
    const context = await freshContext(browser);
    const page = await context.newPage();
    await signIn(page, edge);
    expect(await stored(page)).toEqual({ session: 'dev-admin-token', local: null });
    // A reload in the same tab stays signed in.
    await page.reload();
    await page.locator('nav.sidenav').waitFor();
    // A new browser session (a new context) starts signed out.
    const later = await freshContext(browser);
    const fresh = await later.newPage();
    await fresh.goto(`${edge.url}/admin/`);
    await fresh.locator('input[name=token]').waitFor();
    await later.close();
    await context.close();
  });

  it("removes an older version's token from localStorage instead of using it", async () => {
    const context = await freshContext(browser);
    const page = await context.newPage();
    await page.goto(`${edge.url}/admin/`);
    await page.evaluate((key) => localStorage.setItem(key, 'dev-admin-token'), TOKEN_KEY);
    await page.reload();
    await page.locator('input[name=token]').waitFor();
    expect(await stored(page)).toEqual({ session: null, local: null });
    await context.close();
  });
});
