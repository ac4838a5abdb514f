/**
 * Forms that question what they should, in Chromium and in Japanese: a segment with no
 * conditions, where a new segment falls in the priority order (and moving it), shares that do
 * not add up to 100%, an experiment without a name, an experiment opened from a slot × segment,
 * deleting a draft, character counts, and scripts or handlers flagged while typing.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { adminApi, adminConsole, leaveWithoutPrompt } from './support/admin-console';

const { edge, page, errors } = await adminConsole({ locale: 'ja-JP' });
// Each test starts with a new page load: leave the previous test's unsaved edits without asking.
beforeEach(() => leaveWithoutPrompt(page));

const dialog = () => page.locator('dialog[open]');
const keys = async () => (await adminApi(edge, 'GET', '/segments')).body.segments.map((s: { key: string }) => s.key);

describe('guarded forms', () => {
  it('a segment with no conditions is questioned before it is saved', async () => {
    await page.goto(`${edge.url}/admin/segments/new`);
    await page.getByLabel('名前', { exact: true }).fill('全員');
    expect(await page.locator('#no-conditions').innerText()).toContain('すべての訪問者が該当します');
    const before = await keys();
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await expect.poll(() => dialog().locator('#confirm-message').innerText()).toContain('すべての訪問者が該当します');
    await dialog().getByRole('button', { name: 'キャンセル' }).click();
    expect(await keys()).toEqual(before);
  });

  it('says where a new segment falls and can place it before the catch-all', async () => {
    await page.goto(`${edge.url}/admin/segments/new`);
    await page.getByLabel('名前', { exact: true }).fill('セミナー参加者');
    const placement = page.getByLabel('優先順位');
    const field = page.locator('.field', { has: placement });
    expect(await field.locator('.field-help').innerText()).toContain('6 件中 6 番目');
    await placement.selectOption({ label: '「ターゲット外」の前' });
    expect(await field.locator('.field-help').innerText()).toContain('6 件中 5 番目');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await dialog().getByRole('button', { name: 'このまま保存' }).click();
    await page.waitForURL(/\/admin\/segments$/);
    expect(await keys()).toEqual(['hot_lead', 'consideration', 'dormant', 'info_gathering', 'segment_1', 'non_target']);
  });

  it('an experiment needs a name and shares that add up to 100%', async () => {
    const before = (await adminApi(edge, 'GET', '/experiments')).body.experiments.length;
    await page.goto(`${edge.url}/admin/experiments/new`);
    await page.locator('#experiment-form').waitFor();
    const shares = await page.locator('#experiment-form input[type=number]').all();
    await shares[0]!.fill('50');
    await shares[1]!.fill('30');
    expect(await page.locator('#weights-sum').innerText()).toBe('配分の合計: 80%');
    await page.getByRole('button', { name: '作成', exact: true }).click();
    const name = page.locator('.field', { has: page.getByLabel('名前', { exact: true }) });
    await expect.poll(() => name.locator('.field-error').innerText()).toBe('あとで見つけられるよう、実験に名前を付けてください。');
    expect(await page.locator('#experiment-form').innerText()).toContain('配分の合計を 100% にしてください（現在 80%）。');
    expect((await adminApi(edge, 'GET', '/experiments')).body.experiments.length).toBe(before);
  });

  it('content: counts characters and flags scripts and handlers while typing', async () => {
    await page.goto(`${edge.url}/admin/content/hero/dormant`);
    const html = page.getByLabel('HTML', { exact: true });
    await html.fill('<p>おかえりなさい</p>');
    const help = page.locator('.field', { has: html }).locator('.field-help');
    expect(await help.innerText()).toContain('14 / 32,000 文字');
    expect(await page.locator('#html-hints').count()).toBe(0);
    await html.fill('<a href="/x" onclick="track()">資料</a><script>x()</script>');
    const hints = await page.locator('#html-hints').innerText();
    expect(hints).toContain('onclick のようなイベント属性');
    expect(hints).toContain('data-dw-download');
    expect(hints).toContain('<script>');
    await html.fill(`<p>${'あ'.repeat(25_000)}</p>`);
    expect(await help.innerText()).toContain('長すぎるため保存できません');
  });

  it('an experiment opened from a slot × segment starts on that cell; its draft can be deleted', async () => {
    await page.goto(`${edge.url}/admin/content/hero/dormant`);
    await page.getByRole('link', { name: 'このコンテンツで実験を作成' }).click();
    await page.waitForURL(/\/admin\/experiments\/new\?slot=hero&segment=dormant$/);
    expect(await page.getByLabel('スロット', { exact: true }).inputValue()).toBe('hero');
    expect(await page.getByLabel('セグメント', { exact: true }).inputValue()).toBe('dormant');
    await page.getByLabel('名前', { exact: true }).fill('おかえりテスト');
    await page.getByRole('button', { name: '作成', exact: true }).click();
    await page.waitForURL(/\/admin\/experiments\/exp_hero_dormant_/);
    const id = page.url().split('/').pop()!;

    await page.goto(`${edge.url}/admin/content`);
    expect(await page.locator('[data-cell="hero:dormant"]').locator('..').innerText()).toContain('下書き: おかえりテスト');

    await page.goto(`${edge.url}/admin/experiments/${id}`);
    await page.getByRole('button', { name: '実験を削除' }).click();
    await dialog().getByRole('button', { name: '削除' }).click();
    await page.waitForURL(/\/admin\/experiments$/);
    expect((await adminApi(edge, 'GET', `/experiments/${id}`)).status).toBe(404);
    expect(errors.pageErrors).toEqual([]);
  });
});
