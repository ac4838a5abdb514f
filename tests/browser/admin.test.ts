/**
 * The admin console in Chromium against the real local edge: sign in, build a segment with the
 * rule builder, give it content and see a matching visitor get it on /demo, reorder segments,
 * preview as a segment without recording anything, switch languages, and field errors.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { watchErrors } from './support/chromium';
import { adminApi, adminConsole, demoHero, freshContext } from './support/admin-console';

const { edge, browser, signedInPage: adminPage } = await adminConsole({ signIn: false });

/** Creates a segment through the UI: name, key, one behaviour condition "page views ≥ 1 within 7 days". */
async function createVisitorSegment(page: Page, key: string, name: string) {
  await page.goto(`${edge.url}/admin/segments/new`);
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Key', { exact: true }).fill(key);
  await page.getByRole('button', { name: '+ Add condition' }).click();
  await page.getByLabel('Condition type').selectOption('behavior');
  await page.getByLabel('Event').selectOption('page_view');
  await page.getByLabel('Where').selectOption('');
  await page.getByLabel('Times').fill('1');
  await page.getByLabel('Within (days)').fill('7');
  // The live count answers for the rule as it stands.
  await page.getByTestId('live-count').waitFor();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.waitForURL(/\/admin\/segments$/);
  await page.locator(`tr[data-segment="${key}"]`).waitFor();
}

async function addHeroContent(page: Page, segment: string, html: string) {
  await page.goto(`${edge.url}/admin/content`);
  await page.locator(`a[data-cell="hero:${segment}"]`).click();
  await page.getByLabel('Name', { exact: true }).fill(`hero for ${segment}`);
  await page.getByLabel('HTML').fill(html);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
}

describe('admin console', () => {
  it('refuses a wrong token, then signs in and out', async () => {
    const context = await freshContext(browser);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${edge.url}/admin/`);
    await page.locator('input[name=token]').fill('wrong-token');
    await page.locator('form button[type=submit]').click();
    await expect.poll(() => page.locator('.field-error').innerText()).toContain('not accepted');
    await page.locator('input[name=token]').fill('dev-admin-token');
    await page.locator('form button[type=submit]').click();
    await page.locator('#segments-table').waitFor();
    expect(await page.locator('#segments-table tbody tr').count()).toBe(5);
    // A deep link survives a reload.
    await page.goto(`${edge.url}/admin/segments/hot_lead`);
    await expect.poll(() => page.getByLabel('Name', { exact: true }).inputValue()).toBe('ホットリード');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('input[name=token]').waitFor();
    expect(errors.pageErrors).toEqual([]);
    await context.close();
  });

  it('creates a segment and its content; a matching visitor sees it on /demo', async () => {
    const page = await adminPage();
    await createVisitorSegment(page, 'bt_visitors', 'Browser-test visitors');
    await addHeroContent(page, 'bt_visitors', '<h2>Welcome, browser-test visitor</h2><script>alert(1)</script>');
    const report = page.locator('#removed-report');
    await report.waitFor();
    expect(await report.innerText()).toContain('script');
    expect(await page.getByLabel('HTML').inputValue()).not.toContain('<script');

    const { text, context } = await demoHero(browser, `${edge.url}/demo/`);
    expect(text).toContain('Welcome, browser-test visitor');
    await context.close();
    await page.context().close();
  });

  it('reorders two segments and the resolution follows', async () => {
    const page = await adminPage();
    await createVisitorSegment(page, 'bt_second', 'Second segment');
    await addHeroContent(page, 'bt_second', '<h2>Second segment wins</h2>');
    await page.locator('#removed-report, .notice-ok').first().waitFor();

    let hero = await demoHero(browser, `${edge.url}/demo/`);
    expect(hero.text).toContain('Welcome, browser-test visitor');
    await hero.context.close();

    await page.goto(`${edge.url}/admin/segments`);
    await page.getByRole('button', { name: 'Move Second segment up' }).click();
    await expect
      .poll(async () => page.locator('#segments-table tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-segment'))))
      .toEqual(['hot_lead', 'consideration', 'dormant', 'info_gathering', 'non_target', 'bt_second', 'bt_visitors']);

    hero = await demoHero(browser, `${edge.url}/demo/`);
    expect(hero.text).toContain('Second segment wins');
    await hero.context.close();
    await page.context().close();
  });

  it('previews a page as a segment and arm without recording an exposure', async () => {
    const before = await adminApi(edge, 'GET', '/experiments/exp_consideration_hero/results');
    const exposedBefore = before.body.arms.reduce((s: number, a: any) => s + a.visitors, 0);
    const page = await adminPage();
    await page.goto(`${edge.url}/admin/preview`);
    await page.getByLabel('Segment', { exact: true }).selectOption('consideration');
    await page.getByLabel(/^Arm for/).selectOption('case_b');
    await page.getByLabel('Page URL').fill(`${edge.url}/demo/`);
    const popup = page.waitForEvent('popup');
    await page.getByRole('button', { name: 'Open preview' }).click();
    await (await popup).close();
    const link = await page.locator('#preview-link').getAttribute('href');
    expect(link).toContain('dw_preview=');

    const { text, page: demo, context } = await demoHero(browser, link!);
    expect(text).toContain('ROI');
    expect(await demo.locator('.dw-preview').innerText()).toContain('検討段階');
    await context.close();

    const after = await adminApi(edge, 'GET', '/experiments/exp_consideration_hero/results');
    expect(after.body.arms.reduce((s: number, a: any) => s + a.visitors, 0)).toBe(exposedBefore);
    await page.context().close();
  });

  it('switches Japanese ↔ English and remembers the choice', async () => {
    const page = await adminPage('ja-JP');
    const nav = page.locator('nav.sidenav');
    expect(await nav.innerText()).toContain('セグメント');
    expect(await nav.innerText()).toContain('スロットとコンテンツ');
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => nav.innerText()).toContain('Slots & content');
    await page.reload();
    await expect.poll(() => page.locator('nav.sidenav').innerText()).toContain('Segments');
    await page.getByRole('button', { name: '日本語' }).click();
    await expect.poll(() => page.locator('nav.sidenav').innerText()).toContain('会員');
    expect(await page.getByRole('button', { name: 'ログアウト' }).count()).toBe(1);
    await page.context().close();
  });

  it('shows invalid input next to the field and saves nothing', async () => {
    const page = await adminPage();
    const before = (await adminApi(edge, 'GET', '/segments')).body.segments.length;
    await page.goto(`${edge.url}/admin/segments/new`);
    await page.getByLabel('Name', { exact: true }).fill('Bad one');
    await page.getByLabel('Key', { exact: true }).fill('Bad Key!');
    await page.getByRole('button', { name: '+ Add condition' }).click();
    await page.getByLabel('Condition type').selectOption('behavior');
    await page.getByLabel('Times').fill('');
    await page.getByRole('button', { name: 'Save', exact: true }).click();

    const keyField = page.locator('.field', { has: page.getByLabel('Key', { exact: true }) });
    await expect.poll(() => keyField.locator('.field-error').count()).toBe(1);
    expect(await page.getByLabel('Key', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    const countField = page.locator('.field', { has: page.getByLabel('Times') });
    expect(await countField.locator('.field-error').count()).toBe(1);
    expect(page.url()).toMatch(/\/admin\/segments\/new$/);
    expect((await adminApi(edge, 'GET', '/segments')).body.segments.length).toBe(before);

    // Same for content: a variant too large is refused next to the HTML field.
    await page.goto(`${edge.url}/admin/content/cta/dormant`);
    await page.getByLabel('HTML').fill('x'.repeat(33_000));
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const htmlField = page.locator('.field', { has: page.getByLabel('HTML') });
    await expect.poll(() => htmlField.locator('.field-error').count()).toBe(1);
    expect((await adminApi(edge, 'GET', '/variants?slot=cta&segment=dormant')).body.variants).toEqual([]);
    await page.context().close();
  });
});
