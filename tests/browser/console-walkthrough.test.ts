/**
 * The ten-task walkthrough of a first-time Japanese B2B marketer, in Chromium, with no DevTools
 * and no key typed: sign in → a segment made from names → content for a slot → an experiment
 * from that slot × segment (prefilled) started with its estimate in view → preview (newest
 * content first, control labelled, phone width) → the demo site (seminar sign-up and attendance,
 * "表示中：…") → members (hot leads) → a member → results → the change log with every step and
 * its actor. After each step: no raw key and no Latin-alphabet error on screen, nothing typed
 * lost; the toast never covers the button that was pressed, and table headers stay whole.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it, vi } from 'vitest';
import { adminApi, adminConsole, signIn } from './support/admin-console';
import { waitReady } from './support/chromium';

const { edge, browser, page, errors } = await adminConsole({ locale: 'ja-JP', signIn: false });
// Polls wait as long as a loaded machine may take to answer (the default is one second).
vi.setConfig({ expect: { poll: { timeout: 10_000, interval: 100 } } });

// This file's own names: nothing here depends on data another file makes.
const SEGMENT = 'ウォークスルー参加者';
const VARIANT = 'ウォークスルー限定ヒーロー';
const VARIANT_TEXT = 'ウォークスルー限定：次回セミナーのご案内';
const EXPERIMENT = 'ウォークスルー実験';
const MEMBER = 'demo-saas-120';

/** What the walk made, filled in as it goes. */
const made = { segment: '', variant: '', experiment: '' };

/**
 * Keys a marketer should never have to read: snake_case identifiers (`seminar_attend`,
 * `variant_a`, `hero_seminar_…`, `segment_1`, `hot_lead`) and the bare `control` / `hero`.
 * Input values (a key field's generated key) are not page text, so they do not count.
 */
const RAW_KEY = /\b[a-z][a-z0-9]*_[a-z0-9_]+\b|\bcontrol\b|\bvariant\b|\bhero\b/;

/** Error text on screen (field errors, banners, alerts, the error toast). */
const errorTexts = (p: Page) => p.locator('.field-error, .banner-error, [role=alert], .notice-error').allInnerTexts();

/** The checks after every step: no key, no English error, no crash. */
/** Keys in the text, with what surrounds them; addresses (a preview link) and member ids are the site's own. */
function keysIn(raw: string): string[] {
  const text = raw.replace(/https?:\/\/\S+/g, '').replace(/\bdemo-[a-z0-9-]+\b/g, '');
  return [...text.matchAll(new RegExp(RAW_KEY, 'g'))].map((m) => text.slice(Math.max(0, m.index - 40), m.index + 40).replace(/\s+/g, ' '));
}

async function screenIsClean(p: Page, step: string) {
  // Once the screen has settled: display names load beside the configuration, a moment later.
  const found = async () => keysIn(await p.locator('main').innerText());
  await expect.poll(found, { timeout: 10_000, message: `${step}: a raw key on screen` }).toEqual([]);
  for (const e of await errorTexts(p)) expect(e, `${step}: an English error`).not.toMatch(/[A-Za-z]{3,}/);
  expect(errors.pageErrors, step).toEqual([]);
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Clicks a button, waits for the toast, and checks the toast covers neither it nor any primary action. */
async function clickWithToast(p: Page, button: ReturnType<Page['locator']>, toast: string) {
  const box = (await button.boundingBox())!;
  await button.click();
  const notice = p.locator('.notice.notice-ok');
  await expect.poll(() => notice.innerText()).toBe(toast);
  const noticeBox = (await notice.boundingBox())!;
  expect(overlaps(noticeBox, box), 'the toast covers the button just pressed').toBe(false);
  for (const primary of await p.locator('.btn-primary:visible').all()) {
    const b = await primary.boundingBox();
    if (b) expect(overlaps(noticeBox, b), 'the toast covers a primary action').toBe(false);
  }
}

/** How many lines a header's text takes (1 = not broken inside the word). */
const lineCount = (p: Page, header: string) =>
  p
    .locator('th', { hasText: header })
    .first()
    .evaluate((th) => {
      const range = document.createRange();
      range.selectNodeContents(th.firstChild ?? th);
      const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      return tops.size;
    });

const dialog = () => page.locator('dialog[open]');

describe('a first-time Japanese marketer, ten tasks', () => {
  it('1. signs in with the token the screen gives', async () => {
    await signIn(page, edge);
    expect(await page.locator('nav.sidenav').innerText()).toContain('セグメント');
    await screenIsClean(page, 'sign-in');
  });

  it('2. makes a segment from names: seminar attendance within 30 days, placed first', async () => {
    await page.locator('nav.sidenav').getByRole('link', { name: 'セグメント', exact: true }).click();
    await page.getByRole('link', { name: 'セグメントを作成' }).click();
    await page.waitForURL(/\/admin\/segments\/new$/);
    await page.getByLabel('名前', { exact: true }).fill(SEGMENT);
    await page.getByRole('button', { name: '+ 条件を追加' }).click();
    await page.getByLabel('条件の種類').selectOption({ label: '行動' });
    await page.getByLabel('イベント', { exact: true }).selectOption({ label: 'セミナー参加' });
    await page.getByLabel('優先順位').selectOption({ label: '「ホットリード」の前' });
    await screenIsClean(page, 'segment form');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.waitForURL(/\/admin\/segments$/);
    const saved = (await adminApi(edge, 'GET', '/segments')).body.segments as { key: string; name: string; rule: any }[];
    const segment = saved.find((s) => s.name === SEGMENT)!;
    expect(segment, 'saved with the name typed').toBeDefined();
    expect(saved[0]!.key).toBe(segment.key);
    expect(segment.rule.conditions).toEqual([expect.objectContaining({ type: 'behavior', event: 'seminar_attend' })]);
    made.segment = segment.key;
    // The rule reads in names.
    const row = page.locator('tr', { hasText: SEGMENT });
    expect(await row.innerText()).toContain('セミナー参加');
    await screenIsClean(page, 'segment list');
  });

  it('3. writes content for the hero slot of that segment; leaving with an unsaved edit asks first', async () => {
    await page.locator('nav.sidenav').getByRole('link', { name: 'スロットとコンテンツ' }).click();
    await page.locator(`a[data-cell="hero:${made.segment}"]`).click();
    await page.waitForURL(new RegExp(`/admin/content/hero/${made.segment}`));
    const form = page.locator('#variant-form');
    await form.getByLabel('名前', { exact: true }).fill(VARIANT);
    await form.getByLabel('HTML', { exact: true }).fill(`<h2>${VARIANT_TEXT}</h2>`);
    await expect.poll(() => page.frameLocator('iframe.preview-frame').locator('h2').innerText()).toBe(VARIANT_TEXT);

    // An in-app link with the edit unsaved: the console asks, and staying keeps the edit.
    await page.locator('nav.sidenav').getByRole('link', { name: '会員', exact: true }).click();
    await expect.poll(() => dialog().locator('#confirm-message').innerText()).toContain('保存していない変更があります');
    await dialog().getByRole('button', { name: 'キャンセル' }).click();
    expect(await page.getByLabel('HTML', { exact: true }).inputValue()).toBe(`<h2>${VARIANT_TEXT}</h2>`);

    await clickWithToast(page, page.getByRole('button', { name: '保存', exact: true }), '保存しました');
    await page.waitForURL(/\?variant=/);
    made.variant = new URL(page.url()).searchParams.get('variant')!;
    const stored = (await adminApi(edge, 'GET', '/variants')).body.variants.find((v: { id: string }) => v.id === made.variant);
    expect(stored).toMatchObject({ name: VARIANT, html: `<h2>${VARIANT_TEXT}</h2>`, slot: 'hero', segment: made.segment });
    await screenIsClean(page, 'content editor');
  });

  it('4. makes an experiment from that slot × segment (prefilled) and starts it, the estimate in view', async () => {
    await page.getByRole('link', { name: 'このコンテンツで実験を作成' }).click();
    await page.waitForURL(/\/admin\/experiments\/new\?/);
    expect(await page.getByLabel('スロット', { exact: true }).inputValue()).toBe('hero');
    expect(await page.getByLabel('セグメント', { exact: true }).inputValue()).toBe(made.segment);
    await page.getByLabel('名前', { exact: true }).fill(EXPERIMENT);
    const variantPicks = page.locator('#experiment-form select[name$="variant"], #experiment-form td select');
    for (const pick of await variantPicks.all()) {
      if ((await pick.inputValue()) === '') await pick.selectOption({ label: VARIANT });
    }
    await screenIsClean(page, 'experiment form');
    // No field asks the marketer for a key or shows one (arm keys are made for them).
    const typed = await page
      .locator('#experiment-form input:not([type=number]):not([type=checkbox])')
      .evaluateAll((els) => els.map((el) => (el as HTMLInputElement).value));
    expect(typed.filter((v) => /^[a-z]+_[a-z0-9_]+$/.test(v))).toEqual([]);
    await page.getByRole('button', { name: '作成', exact: true }).click();
    await page.waitForURL(/\/admin\/experiments\/exp_/);
    made.experiment = page.url().split('/').pop()!;

    const estimate = page.locator('#estimate');
    await expect.poll(() => estimate.innerText()).toMatch(/見込み|推定|トラフィック/);
    await page.locator('.row-actions button', { hasText: '開始' }).click();
    const question = dialog().locator('#confirm-message');
    await expect.poll(() => question.innerText()).toContain(`「${EXPERIMENT}」を開始しますか？`);
    await dialog().getByRole('button', { name: '開始' }).click();
    await expect.poll(async () => (await adminApi(edge, 'GET', `/experiments/${made.experiment}`)).body.status).toBe('running');
    const stored = (await adminApi(edge, 'GET', `/experiments/${made.experiment}`)).body;
    expect(stored).toMatchObject({ name: EXPERIMENT, slot: 'hero', segment: made.segment });
    expect(stored.arms.map((a: { variant: string | null }) => a.variant)).toEqual([null, made.variant]);
    await screenIsClean(page, 'experiment page');
  });

  it('5. previews: the new content first, the control labelled, at a phone’s width too', async () => {
    await page.locator('nav.sidenav').getByRole('link', { name: 'プレビュー', exact: true }).click();
    await page.locator('#preview-form select[name=segment]').selectOption({ label: SEGMENT });
    const arm = page.locator('#preview-form select[name^="arm-"]');
    await expect.poll(() => arm.locator('option').allInnerTexts()).toContain('標準コンテンツ（コントロール）');
    expect(await arm.locator('option:checked').innerText()).toContain(VARIANT);
    await page.getByLabel('ページのURL').fill(`${edge.url}/demo/`);
    const popup = page.waitForEvent('popup');
    await page.getByRole('button', { name: 'プレビューを開く' }).click();
    await (await popup).close();

    const frame = page.frameLocator('iframe.preview-page');
    await expect.poll(() => frame.locator('[data-dw-slot="hero"]').innerText(), { timeout: 15_000 }).toContain(VARIANT_TEXT);
    await page.getByRole('button', { name: 'スマートフォン（幅 375px）' }).click();
    await expect.poll(() => page.locator('iframe.preview-page').evaluate((f) => f.clientWidth)).toBe(375);
    expect(await frame.locator('body').evaluate((b) => b.ownerDocument.documentElement.clientWidth)).toBeLessThanOrEqual(375);
    await screenIsClean(page, 'preview');
  });

  it('6. on the demo site, signs up for and attends a seminar, and the page says what they see', async () => {
    const context = await browser.newContext({ locale: 'ja-JP' });
    const demo = await context.newPage();
    await demo.goto(`${edge.url}/demo/`);
    await waitReady(demo);
    await demo.getByRole('button', { name: /SaaS 企業/ }).click();
    await expect.poll(() => demo.locator('.dw-console').innerText()).toContain(MEMBER);
    await demo.getByRole('button', { name: 'DX推進セミナーに申し込む' }).click();
    await expect.poll(() => demo.locator('.dw-console .hint').innerText()).toBe('セミナーの申し込みを記録しました');
    await demo.getByRole('button', { name: /セミナーに参加する/ }).click();
    await expect.poll(() => demo.locator('.dw-console .hint').innerText()).toBe('セミナーへの参加を記録しました');

    // Now in the new segment: the hero is in the experiment, and the line under it says which arm.
    await expect
      .poll(
        async () => {
          await demo.reload();
          await waitReady(demo);
          return demo.locator('[data-dw-seen="hero"]').innerText();
        },
        { timeout: 20_000, interval: 1_000 },
      )
      .toContain(`実験「${EXPERIMENT}」`);
    const seen = await demo.locator('[data-dw-seen="hero"]').innerText();
    expect(seen).toMatch(new RegExp(`^表示中：(${VARIANT}|標準コンテンツ（コントロール）) — 実験「${EXPERIMENT}」$`));
    const panel = await demo.locator('.dw-console').innerText();
    expect(panel).toContain(SEGMENT);
    expect(keysIn(panel)).toEqual([]);
    await context.close();
  });

  it('7. lists members, filtered to hot leads', async () => {
    await page.locator('nav.sidenav').getByRole('link', { name: '会員', exact: true }).click();
    await page.locator('main table tbody tr').first().waitFor();
    await page.locator('select[name=segment]').selectOption({ label: 'ホットリード' });
    // The segment is chosen by its name and asked for by its key; wait for that answer, not the
    // unfiltered list still on screen while it loads.
    const answer = page.waitForResponse(
      (r) => new URL(r.url()).pathname === '/api/members' && new URL(r.url()).searchParams.get('segment') === 'hot_lead',
    );
    await page.getByRole('button', { name: '表示', exact: true }).click();
    const { items } = (await (await answer).json()) as { items: unknown[] };
    // No one in the demo is a hot lead: the walk's member has no pricing page view and no download
    // (it attended a seminar). The screen says so in Japanese instead of keeping the old rows.
    expect(items).toEqual([]);
    await expect.poll(() => page.locator('main .state-empty').innerText()).toBe('条件に合う会員はいません。');
    expect(await page.locator('main table tbody tr').count()).toBe(0);
    await screenIsClean(page, 'members');
  });

  it('8. opens the member who attended: the segment, attributes and the reason in names', async () => {
    await page.goto(`${edge.url}/admin/members/${MEMBER}`);
    const main = page.locator('main');
    await expect.poll(() => main.innerText()).toContain(SEGMENT);
    const text = await main.innerText();
    expect(text).toContain('セミナー参加');
    expect(text).toContain('業種');
    await screenIsClean(page, 'member');
  });

  it('9. reads the results: arms by name, headers on one line', async () => {
    await page.goto(`${edge.url}/admin/experiments/${made.experiment}/results`);
    const table = page.locator('#results-arms');
    // The demo visitor's exposure is stored a moment after the page was answered.
    await expect
      .poll(
        async () => {
          if (await table.count()) return table.innerText();
          await page.reload();
          return '';
        },
        { timeout: 20_000, interval: 1_000 },
      )
      .toContain('標準コンテンツ（コントロール）');
    expect(await table.innerText()).toContain(VARIANT);
    expect(await lineCount(page, 'コンバージョン数')).toBe(1);
    expect(await lineCount(page, '訪問者数')).toBe(1);
    await screenIsClean(page, 'results');
  });

  it('10. the change log shows every step with its actor', async () => {
    await page.locator('nav.sidenav').getByRole('link', { name: '変更履歴' }).click();
    const entries = page.getByTestId('change');
    await expect.poll(() => entries.count()).toBeGreaterThanOrEqual(4);
    const items = await entries.allInnerTexts();
    const find = (what: string, action: string) => items.find((i) => i.includes(what) && i.includes(action));
    expect(find(`セグメント「${SEGMENT}」`, '作成'), 'segment created').toBeDefined();
    expect(find(`コンテンツ「${VARIANT}」`, '作成'), 'content created').toBeDefined();
    expect(find(`実験「${EXPERIMENT}」`, '作成'), 'experiment created').toBeDefined();
    expect(find(`実験「${EXPERIMENT}」`, '変更'), 'experiment started').toMatch(/状態/);
    for (const i of items.slice(0, 4)) expect(i).toContain('管理トークン');
    // The API agrees: each step by the admin token.
    const log = (await adminApi(edge, 'GET', '/changes?limit=20')).body.items as { entity: string; entityId: string; actor: string }[];
    for (const [entity, id] of [
      ['segment', made.segment],
      ['variant', made.variant],
      ['experiment', made.experiment],
    ]) {
      expect(
        log.some((c) => c.entity === entity && c.entityId === id && c.actor === 'admin-token'),
        `${entity} logged`,
      ).toBe(true);
    }
    await screenIsClean(page, 'change log');
  });
});
