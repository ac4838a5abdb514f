/**
 * The variant preview with the site's stylesheet, in Chromium and in Japanese: the stylesheet is a
 * site setting; once saved, the console's policy allows stylesheets from that one origin (and no
 * other), and the content editor's preview frame renders with it. A stylesheet address that is
 * not https is refused in Japanese, and the change is in the settings' change history.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { adminApi, adminConsole } from './support/admin-console';

const { edge, page, errors } = await adminConsole({ locale: 'ja-JP' });
// Polls wait as long as a loaded machine may take to answer (the default is one second).
vi.setConfig({ expect: { poll: { timeout: 10_000, interval: 100 } } });

/** The site: its stylesheet at http://localhost:PORT/site.css (a different origin from the edge's 127.0.0.1). */
const SITE_CSS = 'h2 { color: rgb(12, 34, 56); font-family: serif; } body { margin: 0; }';
const site = createServer((req, res) => {
  if (req.url === '/site.css') res.writeHead(200, { 'content-type': 'text/css' }).end(SITE_CSS);
  else res.writeHead(404).end();
});
await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
const stylesheet = `http://localhost:${(site.address() as AddressInfo).port}/site.css`;
afterAll(() => new Promise<void>((resolve) => site.close(() => resolve())));

const cspOf = async () => (await fetch(`${edge.url}/admin/`)).headers.get('content-security-policy') ?? '';
const cspErrors = () => errors.consoleErrors.filter((e) => /Content Security Policy/i.test(e));

describe("the site's stylesheet in the content preview", () => {
  it('refuses an address that is not https, in Japanese, and stores nothing', async () => {
    await page.goto(`${edge.url}/admin/settings`);
    await expect.poll(() => page.locator('select[name=timeZone]').inputValue()).toBe('Asia/Tokyo');
    const field = page.getByLabel('プレビュー用スタイルシート');
    await field.fill('http://www.example.co.jp/site.css');
    await page.locator('#site-form').getByRole('button', { name: '保存', exact: true }).click();
    const error = page.locator('.field', { has: field }).locator('.field-error');
    await expect.poll(() => error.innerText()).toBe('サイトのスタイルシートの完全なアドレス（暗号化された接続のもの）を入力してください。');
    expect((await adminApi(edge, 'GET', '/site')).body.previewStylesheet).toBeNull();
  });

  it('once saved, the console allows that origin only, and the preview renders with it', async () => {
    expect(await cspOf()).toContain("style-src 'self';");
    await page.goto(`${edge.url}/admin/settings`);
    await expect.poll(() => page.locator('select[name=timeZone]').inputValue()).toBe('Asia/Tokyo');
    await page.getByLabel('プレビュー用スタイルシート').fill(stylesheet);
    // Saving a new stylesheet reloads the console, so the page gets the policy that names it.
    const reloaded = page.waitForEvent('load');
    await page.locator('#site-form').getByRole('button', { name: '保存', exact: true }).click();
    await reloaded;
    expect((await adminApi(edge, 'GET', '/site')).body.previewStylesheet).toBe(stylesheet);
    const csp = await cspOf();
    expect(csp).toContain(`style-src 'self' http://localhost:${(site.address() as AddressInfo).port};`);
    expect(csp).not.toMatch(/unsafe-inline|style-src[^;]*\*/);

    await page.goto(`${edge.url}/admin/content/hero/hot_lead`);
    await page.locator('#variant-form').getByLabel('HTML', { exact: true }).fill('<h2 id="styled">サイトの見た目で</h2>');
    const frame = page.frameLocator('iframe.preview-frame');
    await expect.poll(() => frame.locator('#styled').evaluate((h) => getComputedStyle(h).color)).toBe('rgb(12, 34, 56)');
    expect(await frame.locator('body').evaluate((b) => getComputedStyle(b).marginTop)).toBe('0px');
    expect(cspErrors()).toEqual([]);
  });

  it('a stylesheet from any other origin stays blocked', async () => {
    const other = `http://127.0.0.1:${(site.address() as AddressInfo).port}/site.css`;
    const blocked = await page.evaluate(
      (href) =>
        new Promise<boolean>((resolve) => {
          const link = document.createElement('link');
          link.rel = 'stylesheet';
          link.href = href;
          link.onload = () => resolve(false);
          link.onerror = () => resolve(true);
          document.head.appendChild(link);
        }),
      other,
    );
    expect(blocked).toBe(true);
  });

  it('the settings history shows the change, and undoing it puts the plain preview back', async () => {
    await page.goto(`${edge.url}/admin/settings`);
    const history = page.getByTestId('change-history');
    await history.locator('summary').click();
    const entry = history.getByTestId('change').first();
    await expect.poll(() => entry.innerText()).toContain('プレビュー用スタイルシート');
    expect(await entry.innerText()).toContain('管理トークン');
    const reloaded = page.waitForEvent('load');
    await entry.getByTestId('change-undo').click();
    await page.locator('dialog[open]').getByRole('button', { name: '元に戻す' }).click();
    await reloaded;
    expect((await adminApi(edge, 'GET', '/site')).body.previewStylesheet).toBeNull();
    expect(await cspOf()).toContain("style-src 'self';");
    expect(errors.pageErrors).toEqual([]);
  });
});
