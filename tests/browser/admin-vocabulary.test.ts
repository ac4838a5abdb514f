/**
 * Names instead of keys, in Chromium and in Japanese: the segment list, a member's page, the
 * preview's choices and an experiment's arms read in the marketer's words; renaming an event on
 * the display-names screen changes how every rule reads; a new segment with a Japanese name
 * gets a key made for it.
 */
import { describe, expect, it } from 'vitest';
import { adminApi, adminConsole } from './support/admin-console';

const { edge, page, errors } = await adminConsole({ locale: 'ja-JP' });

describe('names, not keys', () => {
  it('the segment list reads rules with names', async () => {
    await page.goto(`${edge.url}/admin/segments`);
    const hot = page.locator('tr', { hasText: 'ホットリード' }).locator('.rule-text');
    // The names arrive just after the list; the list re-reads itself then.
    await expect.poll(() => hot.innerText()).toContain('業種');
    const text = await hot.innerText();
    expect(text).toContain('従業員数 が 50以上');
    expect(text).toContain('業種 が {IT・通信, SaaS} のいずれか');
    expect(text).toContain('ページ閲覧 (ページカテゴリ = 料金)');
    expect(text).not.toMatch(/industry|employees|page_view|pricing/);
  });

  it('a member’s page names traits, values and the reasons', async () => {
    const server = { authorization: 'Bearer dev-server-key', 'content-type': 'application/json' };
    await fetch(`${edge.url}/v1/server/members/vocab-member-1`, {
      method: 'PUT',
      headers: server,
      body: JSON.stringify({ traits: { industry: 'Manufacturing', employees: 500 } }),
    });
    await fetch(`${edge.url}/v1/server/collect`, {
      method: 'POST',
      headers: server,
      body: JSON.stringify({
        memberId: 'vocab-member-1',
        events: [{ id: `e-${crypto.randomUUID()}`, type: 'page_view', props: { category: 'pricing' } }],
      }),
    });
    await page.goto(`${edge.url}/admin/members/vocab-member-1`);
    await page.locator('#member-detail').waitFor();
    await expect.poll(() => page.locator('dl.kv').innerText()).toContain('業種');
    const traits = await page.locator('dl.kv').innerText();
    expect(traits).toContain('業種');
    expect(traits).toContain('製造業');
    expect(traits).not.toContain('industry');
    const why = await page.locator('.why').innerText();
    expect(why).toContain('業種');
    expect(why).not.toMatch(/\bindustry\b|page_view/);
  });

  it('the preview offers arms by their content’s name and starts on the newest', async () => {
    await page.goto(`${edge.url}/admin/preview`);
    await page.locator('#preview-form select[name=segment]').selectOption({ label: '検討段階' });
    await expect.poll(() => page.locator('#preview-form select[name^="arm-"] option').count()).toBeGreaterThan(1);
    const options = await page.locator('#preview-form select[name^="arm-"] option').allInnerTexts();
    expect(options).toEqual(expect.arrayContaining(['標準コンテンツ（コントロール）', 'Case A: 同業の導入事例', 'Case B: ROI 試算']));
    expect(options.join('\n')).not.toMatch(/case_a|consideration_case/);
    // Previews open on the newest content (what the marketer just made), not the control.
    expect(await page.locator('#preview-form select[name^="arm-"]').inputValue()).toBe('case_b');
  });

  it('renaming an event on the names screen changes how rules read', async () => {
    await page.goto(`${edge.url}/admin/vocabulary`);
    await page.getByLabel('download の日本語名').fill('ホワイトペーパー入手');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await expect.poll(async () => (await adminApi(edge, 'GET', '/vocabulary')).body.events.download.ja).toBe('ホワイトペーパー入手');
    // Traits and values the seed named are kept (the whole document is saved back).
    expect((await adminApi(edge, 'GET', '/vocabulary')).body.traits.industry.values.IT.ja).toBe('IT・通信');
    await page.locator('nav.sidenav a[href="/admin/segments"]').click();
    await expect
      .poll(() => page.locator('tr', { hasText: 'ホットリード' }).locator('.rule-text').innerText())
      .toContain('ホワイトペーパー入手');
  });

  it('names a new attribute with its values', async () => {
    await page.goto(`${edge.url}/admin/vocabulary`);
    await page.getByRole('button', { name: '+ 属性を追加' }).click();
    const rows = page.locator('#vocab-traits tbody tr[data-key]');
    const n = await rows.count();
    await page.getByLabel(`${n}行目のキー`).fill('plan');
    await page.getByLabel('plan の日本語名').fill('契約プラン');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await expect.poll(async () => (await adminApi(edge, 'GET', '/vocabulary')).body.traits.plan?.ja).toBe('契約プラン');
  });

  it('a new segment with a Japanese name gets a key made for it', async () => {
    await page.goto(`${edge.url}/admin/segments/new`);
    await page.getByLabel('名前', { exact: true }).fill('セミナー参加者');
    expect(await page.getByLabel('キー', { exact: true }).inputValue()).toBe('segment_1');
    await page.getByLabel('名前', { exact: true }).fill('Seminar fans');
    expect(await page.getByLabel('キー', { exact: true }).inputValue()).toBe('seminar_fans');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    // No conditions yet: the form asks before saving a segment everyone matches.
    await page.locator('dialog[open]').getByRole('button', { name: 'このまま保存' }).click();
    await page.waitForURL(/\/admin\/segments$/);
    expect((await adminApi(edge, 'GET', '/segments/seminar_fans')).body.name).toBe('Seminar fans');
    expect(errors.pageErrors).toEqual([]);
  });
});
