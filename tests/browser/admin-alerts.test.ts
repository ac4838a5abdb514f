/**
 * Sales alerts in Chromium against a real `wrangler dev` (local D1 and local Queues) and a real
 * receiver in Node that verifies signatures with its own code: the marketer creates an alert in
 * the Japanese console, copies the secret shown once, sends a test and sees the receiver's
 * answer; a visitor on the demo site signs in, views pricing and downloads, and the signed alert
 * arrives; the delivery log and the member page show it.
 */
import type { BrowserContext } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { startReceiver } from '../../scripts/webhook-receiver.mjs';
import { waitReady, watchErrors } from './support/chromium';
import { adminApi, adminConsole, freshContext, signIn } from './support/admin-console';

const { edge, browser, page: admin, errors } = await adminConsole({ locale: 'ja-JP' });
const receiver: { url: string; close(): Promise<void> } = await startReceiver();
afterAll(() => receiver.close());

const hook = 'browser-sales';
const log = async () => (await (await fetch(`${receiver.url}/__log/${hook}`)).json()) as { id: string; verified: boolean; body: any }[];

describe('sales alerts in the console', () => {
  it('create → secret shown once → send test → a demo visitor becomes hot → the log and the member page show it', async () => {
    await admin.getByRole('link', { name: '営業アラート' }).click();
    await admin.getByRole('heading', { name: '営業アラート', level: 1 }).waitFor();
    // The demo ships a switched-off example for hot_lead.
    await expect.poll(() => admin.locator('#alerts-table').innerText()).toContain('ホットリードになったら IS に通知');

    await admin
      .getByRole('link', { name: /新しいアラート/ })
      .first()
      .click();
    await admin.getByLabel('名前').fill('ホットリードを営業へ');
    await admin.getByLabel('セグメントに入ったとき').check();
    await admin.getByLabel('セグメント', { exact: true }).selectOption('hot_lead');
    // A private address is refused next to the field, in Japanese.
    await admin.getByLabel('URL').fill('https://192.168.0.10/hook');
    await admin.getByRole('button', { name: 'アラートを作成' }).click();
    await expect
      .poll(() =>
        admin
          .locator('.field', { has: admin.getByLabel('URL') })
          .locator('.field-error')
          .innerText(),
      )
      .toContain('プライベートネットワーク');
    expect((await adminApi(edge, 'GET', '/alerts')).body.alerts).toHaveLength(1);

    await admin.getByLabel('URL').fill(`${receiver.url}/hooks/${hook}`);
    await admin.getByRole('button', { name: 'アラートを作成' }).click();
    const secret = (await admin.getByTestId('alert-secret').innerText()).trim();
    expect(secret).toMatch(/^whsec_/);
    expect(await admin.getByTestId('verify-code').innerText()).toContain(secret);
    await admin.getByRole('tab', { name: 'Python' }).click();
    expect(await admin.getByTestId('verify-code').innerText()).toContain('hmac.compare_digest');
    await fetch(`${receiver.url}/__script/${hook}`, {
      method: 'PUT',
      body: JSON.stringify({
        secret,
        responses: [
          { status: 200, body: 'CRM に登録しました' },
          { status: 202, body: '営業に割り当てました' },
        ],
      }),
    });
    await admin.getByRole('button', { name: 'コピーしました' }).click();
    await admin.locator('#secret-panel').waitFor({ state: 'detached' });

    await admin.getByRole('button', { name: 'テスト送信' }).click();
    const result = admin.locator('#test-result');
    await result.waitFor();
    expect(await result.getAttribute('data-ok')).toBe('true');
    expect(await result.innerText()).toContain('CRM に登録しました');
    const [test] = await log();
    expect(test).toMatchObject({ verified: true, body: { type: 'alert.test' } });

    // A visitor on the demo site: signs in as the SaaS company, views pricing, downloads.
    const visitor: BrowserContext = await browser.newContext({ locale: 'ja-JP' });
    const site = await visitor.newPage();
    await site.goto(`${edge.url}/demo/`);
    await waitReady(site);
    await site.getByRole('button', { name: /SaaS 企業/ }).click();
    await expect.poll(() => site.locator('.dw-console').innerText()).toContain('demo-saas-120');
    await site.goto(`${edge.url}/demo/pricing.html`);
    await waitReady(site);
    await site.goto(`${edge.url}/demo/`);
    await waitReady(site);
    const popup = visitor.waitForEvent('page');
    await site.locator('[data-dw-download="whitepaper"]').click();
    await (await popup).close();
    await expect.poll(async () => (await log()).length, { timeout: 20_000 }).toBe(2);
    const fired = (await log())[1]!;
    expect(fired.verified).toBe(true);
    expect(fired.body).toMatchObject({ type: 'alert.fired', member: { id: 'demo-saas-120' }, segment: { key: 'hot_lead' } });
    expect(fired.body.summary).toContain('「ホットリード」になりました');
    await visitor.close();

    // The delivery log shows both, delivered; the member page lists the alert.
    await admin.goto(`${edge.url}/admin/alerts`);
    const row = admin.locator(`#delivery-log tr[data-delivery="${fired.id}"]`);
    await expect
      .poll(
        async () => {
          await admin.locator('#log-refresh').click();
          return (await row.count()) ? row.getAttribute('data-status') : null;
        },
        { timeout: 10_000 },
      )
      .toBe('delivered');
    expect(await row.innerText()).toContain('demo-saas-120');
    expect(await row.innerText()).toContain('HTTP 202');
    await row.getByRole('button', { name: '詳細' }).click();
    await expect.poll(() => admin.getByTestId('response-excerpt').first().innerText()).toContain('営業に割り当てました');

    await admin.goto(`${edge.url}/admin/members/demo-saas-120`);
    const mine = admin.locator(`#member-alerts tr[data-delivery="${fired.id}"]`);
    await mine.waitFor();
    expect(await mine.innerText()).toContain('ホットリードを営業へ');
    expect(await mine.innerText()).toContain('配信済み');

    // Replay: the same message id reaches the receiver again.
    await mine.getByRole('button', { name: '再送' }).click();
    await expect.poll(async () => (await log()).length, { timeout: 10_000 }).toBe(3);
    expect((await log())[2]!.id).toBe(fired.id);

    expect(errors.pageErrors).toEqual([]);
    expect(errors.consoleErrors).toEqual([]);
  });

  it('the English console says the same', async () => {
    const en = await (await freshContext(browser, 'en-US')).newPage();
    const enErrors = watchErrors(en);
    await signIn(en, edge);
    await en.goto(`${edge.url}/admin/alerts`);
    await en.getByRole('heading', { name: 'Sales alerts', level: 1 }).waitFor();
    await expect.poll(() => en.locator('#delivery-log').innerText()).toContain('Delivered');
    await en.goto(`${edge.url}/admin/alerts/new`);
    await en.getByLabel('A member reaches a score').check();
    await en.getByLabel('Score', { exact: true }).fill('0');
    await en.getByLabel('URL').fill('http://example.com/hook');
    await en.getByRole('button', { name: 'Create alert' }).click();
    // The schema's checks first: no name, a score below 1.
    await expect.poll(() => en.locator('.field-error').count()).toBe(2);
    await en.getByLabel('Name').fill('Warm leads');
    await en.getByLabel('Score', { exact: true }).fill('50');
    await en.getByRole('button', { name: 'Create alert' }).click();
    // Then the deployment's: plain http to a public host.
    const url = en.locator('.field', { has: en.getByLabel('URL') }).locator('.field-error');
    await expect.poll(() => url.count()).toBe(1);
    expect(await url.innerText()).toContain('https://');
    expect((await adminApi(edge, 'GET', '/alerts')).body.alerts).toHaveLength(2);
    expect(enErrors.pageErrors).toEqual([]);
  });
});
