/**
 * No lost edits, in Chromium: every editor asks before its unsaved changes are thrown away,
 * whether the marketer follows a link in the console, presses the browser's back button, signs
 * out or closes the tab; "cancel" keeps the edit on screen, and a saved editor leaves freely.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { adminApi, adminConsole, leaveWithoutPrompt, signIn } from './support/admin-console';

const { edge, page, errors } = await adminConsole({ locale: 'ja-JP' });

beforeEach(async () => {
  // Leave whatever the previous test left dirty without asking (a fresh load has no draft).
  page.removeAllListeners('dialog');
  await leaveWithoutPrompt(page);
});

const dialog = () => page.locator('dialog[open]');
const GUARD = '保存していない変更があります。変更を破棄してこのページを離れますか？';
const nav = (path: string) => page.locator(`nav.sidenav a[href="/admin/${path}"]`);

/** Each editor, opened and changed (without saving). */
const editors: [name: string, path: string, change: () => Promise<void>][] = [
  ['segment', 'segments/new', () => page.getByLabel('名前', { exact: true }).fill('未保存のセグメント')],
  ['existing segment', 'segments/hot_lead', () => page.getByLabel('説明').fill('書きかけの説明')],
  ['scoring', 'scoring', () => page.getByLabel('ウォームの基準（点以上）').fill('35')],
  ['page categories', 'categories', () => page.getByLabel('URLパターン', { exact: true }).first().fill('/pricing-new*')],
  ['content', 'content/hero/hot_lead', () => page.getByLabel('HTML', { exact: true }).fill('<p>書きかけ</p>')],
  ['experiment', 'experiments/new', () => page.getByLabel('名前', { exact: true }).fill('書きかけの実験')],
];

describe('unsaved changes', () => {
  it.each(editors)('%s: a menu link asks; cancel keeps the edit, discard leaves', async (_name, path, change) => {
    await page.goto(`${edge.url}/admin/${path}`);
    await page.locator('main h1').waitFor();
    await change();
    await nav('members').click();
    await expect.poll(() => dialog().locator('#confirm-message').innerText()).toBe(GUARD);
    await dialog().getByRole('button', { name: 'キャンセル' }).click();
    expect(new URL(page.url()).pathname).toBe(`/admin/${path}`);
    expect(
      await page
        .locator('main')
        .locator('input, textarea')
        .evaluateAll((els) => els.some((e) => /未保存|書きかけ|35|pricing-new/.test((e as HTMLInputElement).value))),
    ).toBe(true);

    await nav('members').click();
    await dialog().getByRole('button', { name: '変更を破棄' }).click();
    await page.waitForURL(/\/admin\/members$/);
  });

  it('an untouched editor leaves without asking', async () => {
    await page.goto(`${edge.url}/admin/segments/hot_lead`);
    await page.locator('main h1').waitFor();
    await nav('members').click();
    await page.waitForURL(/\/admin\/members$/);
    expect(await dialog().count()).toBe(0);
  });

  it('the back button asks too, and cancel stays on the edit', async () => {
    await page.goto(`${edge.url}/admin/segments`);
    await page.locator('main h1').waitFor();
    await nav('scoring').click();
    await page.waitForURL(/\/admin\/scoring$/);
    await page.getByLabel('ウォームの基準（点以上）').fill('36');
    await page.goBack();
    await expect.poll(() => dialog().locator('#confirm-message').innerText()).toBe(GUARD);
    await dialog().getByRole('button', { name: 'キャンセル' }).click();
    expect(new URL(page.url()).pathname).toBe('/admin/scoring');
    expect(await page.getByLabel('ウォームの基準（点以上）').inputValue()).toBe('36');
  });

  it('saving clears the guard', async () => {
    await page.goto(`${edge.url}/admin/scoring`);
    await page.getByLabel('ウォームの基準（点以上）').fill('31');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await expect.poll(async () => (await adminApi(edge, 'GET', '/scoring')).body.settings.warmAt).toBe(31);
    await nav('members').click();
    await page.waitForURL(/\/admin\/members$/);
    expect(await dialog().count()).toBe(0);
  });

  it('signing out asks first', async () => {
    await page.goto(`${edge.url}/admin/segments/new`);
    await page.getByLabel('名前', { exact: true }).fill('未保存');
    await page.getByRole('button', { name: 'ログアウト' }).click();
    await expect.poll(() => dialog().locator('#confirm-message').innerText()).toBe(GUARD);
    await dialog().getByRole('button', { name: 'キャンセル' }).click();
    expect(await page.locator('nav.sidenav').count()).toBe(1);
  });

  it('closing or reloading the tab gets the browser’s prompt; dismissing it keeps the page', async () => {
    const tab = await page.context().newPage();
    await signIn(tab, edge);
    await tab.goto(`${edge.url}/admin/segments/new`);
    const name = tab.getByLabel('名前', { exact: true });
    // A real click: browsers only prompt on pages the person has interacted with.
    await name.click();
    await tab.keyboard.type('閉じる前');
    const seen: string[] = [];
    tab.on('dialog', (d) => {
      seen.push(d.type());
      void d.dismiss();
    });
    await tab.close({ runBeforeUnload: true });
    await expect.poll(() => seen).toEqual(['beforeunload']);
    expect(tab.isClosed()).toBe(false);
    expect(await name.inputValue()).toBe('閉じる前');
    // Done with it: close without the prompt (accepting it races the close).
    tab.removeAllListeners('dialog');
    await tab.close();
  });

  it('no script errors along the way', () => {
    expect(errors.pageErrors).toEqual([]);
  });
});
