import { describe, expect, it } from 'vitest';
import { adminApi, adminConsole } from './support/admin-console';

const { edge, page, errors } = await adminConsole({ locale: 'ja-JP' });
const cfg = (await adminApi(edge, 'GET', '/config')).body;
const names: string[] = [...cfg.experiments.map((e: any) => e.name), ...cfg.segments.map((s: any) => s.name)].filter(Boolean);

const SURFACES = '.field-error, .banner-error, .notice-error';

/** The error texts on screen now (at least one expected), with people's names taken out. */
async function errorTexts(): Promise<string[]> {
  await expect.poll(() => page.locator(SURFACES).count(), { timeout: 10_000 }).toBeGreaterThan(0);
  const texts = await page.locator(SURFACES).allInnerTexts();
  return texts.map((text) => names.reduce((s, n) => s.split(n).join(''), text)).filter((s) => s.trim());
}

async function expectJapaneseOnly(): Promise<string[]> {
  const texts = await errorTexts();
  for (const text of texts) {
    expect(text, text).not.toMatch(/[A-Za-z]/);
    expect(text, text).toMatch(/[ぁ-んァ-ヶ一-龠]/);
  }
  return texts;
}

const fieldError = (label: string | RegExp) =>
  page.locator('.field', { has: page.getByLabel(label, { exact: typeof label === 'string' }) }).locator('.field-error');

/** Saves a segment with no conditions (the form asks first: everyone would match). */
async function saveSegmentAnyway() {
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.locator('dialog[open]').getByRole('button', { name: 'このまま保存' }).click();
}

describe('bad input in Japanese', () => {
  it('segment: empty name, a key with capitals, then a key already in use', async () => {
    await page.goto(`${edge.url}/admin/segments/new`);
    await page.getByLabel('キー', { exact: true }).fill('Hot Lead');
    await saveSegmentAnyway();
    await expect.poll(() => fieldError('名前').innerText()).toBe('入力してください。');
    expect(await fieldError('キー').innerText()).toContain('半角の英小文字');
    await expectJapaneseOnly();

    await page.getByLabel('名前', { exact: true }).fill('ホットリード2');
    await page.getByLabel('キー', { exact: true }).fill('hot_lead');
    await saveSegmentAnyway();
    await expect.poll(() => fieldError('キー').innerText()).toBe('すでに使われています。別の値にしてください。');
    await expectJapaneseOnly();
  });

  it('scoring: a warm threshold above the hot one', async () => {
    await page.goto(`${edge.url}/admin/scoring`);
    await page.getByLabel('ウォームの基準（点以上）').fill('95');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await expect
      .poll(() => fieldError('ウォームの基準（点以上）').innerText())
      .toBe('ウォームの基準はホットの基準より小さい点数にしてください。');
    await expectJapaneseOnly();
    expect((await adminApi(edge, 'GET', '/scoring')).body.settings.warmAt).toBe(30);
  });

  it('experiment: shares that do not add up to 100%, then a conversion goal with no name', async () => {
    await page.goto(`${edge.url}/admin/experiments/new`);
    await page.getByLabel('名前', { exact: true }).fill('配分ゼロ');
    await page.getByLabel('ゴールとなるイベント').selectOption('conversion');
    const shares = await page.locator('#experiment-form input[type=number]').all();
    for (const input of shares) await input.fill('0');
    await page.getByRole('button', { name: '作成', exact: true }).click();
    // The form itself refuses shares that do not add up to 100%.
    expect((await expectJapaneseOnly()).join('\n')).toContain('配分の合計を 100% にしてください（現在 0%）。');
    for (const input of shares) await input.fill('50');
    await page.getByRole('button', { name: '作成', exact: true }).click();
    await expect.poll(async () => (await errorTexts()).join('\n')).toContain('コンバージョンのゴール名を入力してください。');
    await expectJapaneseOnly();
  });

  it('content: over the size limit, then scripts and handlers removed with a Japanese notice', async () => {
    await page.goto(`${edge.url}/admin/content/hero/dormant?new=1`);
    await page.getByLabel('名前', { exact: true }).fill('大きすぎる');
    await page.getByLabel('HTML', { exact: true }).fill(`<p>${'あ'.repeat(25_000)}</p>`);
    await page.getByRole('button', { name: '保存', exact: true }).click();
    const texts = await expectJapaneseOnly();
    expect(texts.join('\n')).toMatch(/上限 64 キロバイト|文字以内/);

    await page.getByLabel('HTML', { exact: true }).fill('<p onclick="go()">こんにちは</p><script>alert(1)</script>');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    const report = page.locator('#removed-report');
    await report.waitFor();
    const text = await report.innerText();
    expect(text).toContain('onclick 属性');
    expect(text).toContain('<script> 要素');
    expect(text).not.toMatch(/\((attribute|element)\)/);
  });

  it('page categories: a category name with spaces and capitals', async () => {
    await page.goto(`${edge.url}/admin/categories`);
    const category = page.getByLabel('カテゴリ', { exact: true }).first();
    await category.fill('Pricing Page');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await expectJapaneseOnly();
  });

  it('preview: an address that is not a URL', async () => {
    await page.goto(`${edge.url}/admin/preview`);
    await page.getByLabel('ページのURL').fill('not a url');
    await page.locator('#preview-form button[type=submit]').click();
    await expectJapaneseOnly();
  });

  it('segments list: deleting a segment an experiment runs on is refused in Japanese', async () => {
    await page.goto(`${edge.url}/admin/segments`);
    const row = page.locator('tr', { hasText: '検討段階' }).first();
    await row.getByRole('button', { name: '削除', exact: true }).click();
    await page.locator('dialog[open]').getByRole('button', { name: '削除' }).click();
    const texts = await expectJapaneseOnly();
    expect(texts.join('\n')).toContain('先にその実験を終了してください');
    expect((await adminApi(edge, 'GET', '/segments/consideration')).status).toBe(200);
    expect(errors.pageErrors).toEqual([]);
  });
});
