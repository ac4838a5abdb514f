/**
 * The change log in Chromium, in Japanese: an edit made in the console appears in the editor's
 * history with who made it and what changed; "変更前に戻す" puts the earlier version back into
 * the editor (and the log); the global log shows everything with links and brings back deleted
 * content; a restore that cannot be done says why in Japanese, and writes nothing.
 */
import { describe, expect, it } from 'vitest';
import { adminApi, adminConsole } from './support/admin-console';

const { edge, page, errors, signedInPage } = await adminConsole({ locale: 'ja-JP' });

const dialog = () => page.locator('dialog.dialog');
const confirm = async (contains: string) => {
  await expect.poll(() => dialog().locator('#confirm-message').innerText()).toContain(contains);
  await dialog().locator('.btn-danger').click();
};

async function openHistory() {
  const panel = page.locator('[data-testid=change-history]');
  const shown = panel.locator('[data-testid=history], [data-testid=history-empty]').first();
  // The editor may render its panel anew (folded) while it loads: open it until it stays open.
  await expect
    .poll(async () => {
      if (!(await panel.evaluate((d) => (d as HTMLDetailsElement).open))) await panel.locator('summary').click();
      return shown.isVisible();
    })
    .toBe(true);
  return panel;
}

describe('an editor’s history', () => {
  it('shows the edit just saved, by whom and what changed, and puts the earlier version back', async () => {
    await page.goto(`${edge.url}/admin/segments/dormant`);
    const name = page.locator('#segment-form input[name=name]');
    await name.waitFor();
    expect(await name.inputValue()).toBe('休眠リード');
    await name.fill('休眠リード（秋）');
    await page.locator('#segment-form button[type=submit]').click();
    await page.waitForURL(/\/admin\/segments$/);

    await page.goto(`${edge.url}/admin/segments/dormant`);
    const panel = await openHistory();
    const entry = panel.locator('[data-testid=change]').first();
    await expect.poll(() => entry.innerText()).toContain('管理トークン');
    const text = await entry.innerText();
    expect(text).toContain('変更');
    expect(text).toContain('変更した項目：名前');
    expect(text).toContain('休眠リード → 休眠リード（秋）');
    expect(text).not.toMatch(/admin-token|name\b|dormant/);

    await entry.locator('[data-testid=change-undo]').click();
    await confirm('セグメント「休眠リード（秋）」を');
    // The editor starts again from the restored version; the log shows the undo first.
    await expect.poll(() => page.locator('#segment-form input[name=name]').inputValue()).toBe('休眠リード');
    await expect.poll(() => panel.locator('[data-testid=change]').first().innerText()).toContain('取り消し');
    expect((await adminApi(edge, 'GET', '/segments/dormant')).body.name).toBe('休眠リード');
  });

  it('warns that unsaved edits will be replaced', async () => {
    await page.goto(`${edge.url}/admin/segments/dormant`);
    await page.locator('#segment-form input[name=name]').fill('まだ保存していない名前');
    const panel = await openHistory();
    await panel.locator('[data-testid=change-undo]').first().click();
    await expect.poll(() => dialog().locator('#confirm-message').innerText()).toContain('保存していない編集内容は置き換えられます');
    await dialog().locator('.btn').first().click();
    expect(await page.locator('#segment-form input[name=name]').inputValue()).toBe('まだ保存していない名前');
    // Leave without saving (the unsaved-changes guard asks; discard).
    await page.locator('nav.sidenav a[href="/admin/changes"]').click();
    await dialog().locator('.btn-danger').click();
  });
});

describe('the global log', () => {
  it('lists every change with who and what, linked to its editor, and brings back deleted content', async () => {
    const created = await adminApi(edge, 'POST', '/variants', {
      id: 'dormant_letter',
      slot: 'cta',
      segment: 'dormant',
      name: 'お手紙',
      html: '<p>お久しぶりです</p>',
    });
    expect(created.status).toBe(201);
    expect((await adminApi(edge, 'DELETE', '/variants/dormant_letter')).status).toBe(204);

    await page.goto(`${edge.url}/admin/changes`);
    await page.locator('h1', { hasText: '変更履歴' }).waitFor();
    const first = page.locator('[data-testid=change]').first();
    await expect.poll(() => first.innerText()).toContain('コンテンツ「お手紙」');
    expect(await first.innerText()).toContain('削除');
    expect(await first.locator('a').getAttribute('href')).toBe('/admin/content/cta/dormant');
    // The segment edit of the first test is in the same log.
    expect(await page.locator('[data-testid=history]').innerText()).toContain('セグメント「休眠リード（秋）」');

    await first.locator('[data-testid=change-undo]').click();
    await confirm('削除されたコンテンツ「お手紙」を');
    await expect.poll(async () => (await adminApi(edge, 'GET', '/variants/dormant_letter')).status).toBe(200);
    await expect.poll(() => page.locator('[data-testid=change]').first().innerText()).toContain('取り消し');

    // Narrowed to experiments: only experiment entries.
    await page.locator('select[name=entity]').selectOption({ label: '実験' });
    await expect.poll(() => page.locator('[data-testid=change]').count()).toBe(0);
  });

  it('says in Japanese why a restore cannot be done, and writes nothing', async () => {
    await adminApi(edge, 'POST', '/variants', { id: 'dormant_b', slot: 'hero', segment: 'dormant', name: 'おかえりB', html: '<p>B</p>' });
    await adminApi(edge, 'POST', '/experiments', {
      id: 'exp_dormant',
      name: '休眠オファー比較',
      slot: 'hero',
      segment: 'dormant',
      goal: { eventType: 'login' },
      arms: [
        { key: 'control', weight: 0.5, variant: null },
        { key: 'b', weight: 0.5, variant: 'dormant_b' },
      ],
    });
    expect((await adminApi(edge, 'DELETE', '/experiments/exp_dormant')).status).toBe(204);
    expect((await adminApi(edge, 'DELETE', '/variants/dormant_b')).status).toBe(204);
    const before = (await adminApi(edge, 'GET', '/changes?limit=200')).body.items.length;

    await page.goto(`${edge.url}/admin/changes`);
    const entry = page.locator('[data-testid=change]', { hasText: '実験「休眠オファー比較」' }).first();
    await entry.waitFor();
    await entry.locator('[data-testid=change-undo]').click();
    await confirm('削除された実験「休眠オファー比較」を');
    const why = entry.locator('[role=alert]');
    await expect.poll(() => why.innerText()).toContain('この版で表示するコンテンツは、その後削除されています');
    expect(await why.innerText()).not.toMatch(/[A-Za-z]/);
    expect((await adminApi(edge, 'GET', '/changes?limit=200')).body.items.length).toBe(before);
    expect((await adminApi(edge, 'GET', '/experiments/exp_dormant')).status).toBe(404);
  });

  it('reads in English too', async () => {
    await adminApi(edge, 'PUT', '/slots/cta', { name: 'CTA ボタン' });
    const en = await signedInPage('en-US');
    await en.goto(`${edge.url}/admin/changes`);
    const first = en.locator('[data-testid=change]').first();
    await expect.poll(() => first.innerText()).toContain('Admin token');
    const text = await first.innerText();
    expect(text).toContain('Changed');
    expect(text).toContain('Slot “CTA ボタン”');
    expect(text).toContain('Changed: name');
    await en.close();
  });

  it('raised no script errors', () => {
    expect(errors.pageErrors).toEqual([]);
    expect(errors.consoleErrors).toEqual([]);
  });
});
