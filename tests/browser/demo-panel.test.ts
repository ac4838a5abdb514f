import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, waitReady, watchErrors } from './support/chromium';
import { ADMIN_TOKEN, startRewriteEdge, type Edge } from './support/edge';

const EXPERIMENT = '検討段階 × hero: 事例 vs ROI';
const ARM_NAMES: Record<string, string> = {
  control: '標準コンテンツ（コントロール）',
  case_a: 'Case A: 同業の導入事例',
  case_b: 'Case B: ROI 試算',
};

let edge: Edge;
let browser: Browser;

beforeAll(async () => {
  [edge, browser] = await Promise.all([startRewriteEdge('dw-demo-panel-'), launchChromium()]);
});
afterAll(async () => {
  await Promise.all([browser?.close(), edge?.stop()]);
});

async function admin<T = any>(apiPath: string): Promise<T> {
  const res = await fetch(`${edge.url}/api${apiPath}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  return (await res.json()) as T;
}

async function visit(locale: 'ja-JP' | 'en-US'): Promise<{ context: BrowserContext; page: Page; errors: ReturnType<typeof watchErrors> }> {
  const context = await browser.newContext({ locale });
  const page = await context.newPage();
  return { context, page, errors: watchErrors(page) };
}

const seen = (page: Page, slot: string) => page.locator(`[data-dw-seen="${slot}"]`);
const panel = (page: Page) => page.locator('.dw-console');

/** Sum of layout-shift values since the page started, as CLS counts them. */
const layoutShift = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        let sum = 0;
        new PerformanceObserver((list) => {
          for (const e of list.getEntries() as any[]) if (!e.hadRecentInput) sum += e.value;
        }).observe({ type: 'layout-shift', buffered: true });
        setTimeout(() => resolve(sum), 300);
      }),
  );

/** Signs in as the demo's SaaS member and downloads a case study: the "consideration" segment. */
async function becomeConsidering(page: Page, base: string) {
  await page.goto(`${edge.url}${base}case-studies.html`);
  await waitReady(page);
  await page.getByRole('button', { name: /SaaS 企業|SaaS company/ }).click();
  await expect.poll(() => panel(page).innerText()).toContain('demo-saas-120');
  const popup = page.context().waitForEvent('page');
  await page.locator('[data-dw-download="case_study"]').click();
  await (await popup).close();
  await expect.poll(() => panel(page).innerText(), { timeout: 10_000 }).toContain('検討段階');
}

describe('snippet mode (/demo/)', () => {
  it('an anonymous visitor sees the page’s own content, said under the slot; the panel speaks Japanese', async () => {
    const { context, page, errors } = await visit('ja-JP');
    await page.goto(`${edge.url}/demo/`);
    await waitReady(page);
    await expect.poll(() => seen(page, 'hero').innerText()).toBe('表示中：標準コンテンツ（このページ本来の表示）');
    expect(await seen(page, 'cta').innerText()).toMatch(/^表示中：/);
    const text = await panel(page).innerText();
    for (const word of ['訪問者 ID', '会員', '未ログイン', 'スコア', 'セグメント', 'スニペットモード']) expect(text).toContain(word);
    expect(text).not.toMatch(/\bVisitor\b|\bwarm\b|\bcold\b|\bhero\b|non_target|\(snippet mode\)/);
    expect(await layoutShift(page)).toBe(0);
    expect(errors.pageErrors).toEqual([]);
    await context.close();
  });

  it('a member in the tested segment sees which arm they got, by name, matching the edge’s record', async () => {
    const { context, page, errors } = await visit('ja-JP');
    await becomeConsidering(page, '/demo/');
    await page.goto(`${edge.url}/demo/`);
    await waitReady(page);
    const id = await page.evaluate(() => (window as any).dashiwake.visitorId());
    type Record_ = { exposures: Record<string, string>; memberId: string };
    const record = () => fetch(`${edge.url}/demo/api/visitor/${id}`).then((r) => r.json() as Promise<Record_>);
    // The page's writes (its arm) go through the writes queue: they may trail the answer by a moment.
    await expect.poll(async () => (await record()).exposures.exp_consideration_hero, { timeout: 10_000 }).toBeTruthy();
    const { exposures, memberId } = await record();
    expect(memberId).toBe('demo-saas-120');
    const arm = exposures.exp_consideration_hero as string;
    expect(Object.keys(ARM_NAMES)).toContain(arm);
    await expect.poll(() => seen(page, 'hero').innerText()).toBe(`表示中：${ARM_NAMES[arm]} — 実験「${EXPERIMENT}」`);
    expect(await seen(page, 'hero').getAttribute('data-arm')).toBe(arm);
    // The panel names the segment, the attributes and their values; no keys.
    const text = await panel(page).innerText();
    expect(text).toContain('業種: SaaS');
    expect(text).toContain('従業員数: 120 名');
    expect(text).toContain('役職: 課長');
    expect(text).toMatch(/セグメント\s*検討段階/);
    expect(text).not.toMatch(/consideration|industry|employees/);
    expect(errors.pageErrors).toEqual([]);
    await context.close();
  });

  it('seminar signup and attendance are buttons, recorded as the member’s events', async () => {
    const { context, page } = await visit('ja-JP');
    await page.goto(`${edge.url}/demo/`);
    await waitReady(page);
    await page.getByRole('button', { name: /SaaS 企業/ }).click();
    await expect.poll(() => panel(page).innerText()).toContain('demo-saas-120');
    await page.getByRole('button', { name: 'DX推進セミナーに申し込む' }).click();
    await expect.poll(() => page.locator('.dw-console .hint').innerText()).toBe('セミナーの申し込みを記録しました');
    await page.getByRole('button', { name: /セミナーに参加する/ }).click();
    await expect.poll(() => page.locator('.dw-console .hint').innerText()).toBe('セミナーへの参加を記録しました');
    await expect
      .poll(
        async () =>
          ((await admin('/members/demo-saas-120')).events as { type: string; props: Record<string, unknown> }[])
            .filter((e) => e.type.startsWith('seminar_'))
            .map((e) => [e.type, e.props]),
        // Stored writes may trail the answer by a moment.
        { timeout: 10_000 },
      )
      .toEqual(
        expect.arrayContaining([
          ['seminar_signup', { seminar: 'dx' }],
          ['seminar_attend', { seminar: 'dx' }],
        ]),
      );
    await context.close();
  });

  it('an English browser gets the panel and the line in English', async () => {
    const { context, page } = await visit('en-US');
    await page.goto(`${edge.url}/demo/`);
    await waitReady(page);
    await expect.poll(() => seen(page, 'hero').innerText()).toBe('You see: the page’s own content');
    const text = await panel(page).innerText();
    for (const word of ['Visitor ID', 'Score', 'Segment', 'Snippet mode', 'Sign in as a SaaS company (120 employees)'])
      expect(text).toContain(word);
    // The panel's own words are English; the site's names (segments, content) stay as the site wrote them.
    expect(text).not.toMatch(/訪問者|ログイン|スコア|表示中|スニペットモード/);
    await context.close();
  });
});

describe('rewrite mode (the site’s own pages through the edge)', () => {
  it('says which arm the edge chose, from the slot’s mark and the visitor’s record; nothing moves', async () => {
    const { context, page, errors } = await visit('ja-JP');
    await becomeConsidering(page, '/');
    const response = await page.goto(`${edge.url}/`);
    const html = await response!.text();
    expect(html).toContain('<meta name="dw:decided"');
    await waitReady(page);
    const id = await page.evaluate(() => (window as any).dashiwake.visitorId());
    const { exposures } = (await fetch(`${edge.url}/demo/api/visitor/${id}`).then((r) => r.json())) as {
      exposures: Record<string, string>;
      memberId: string;
    };
    const arm = exposures.exp_consideration_hero as string;
    const marked = await page.locator('[data-dw-slot="hero"]').getAttribute('data-dw-decided');
    expect(marked === 'default').toBe(arm === 'control');
    await expect.poll(() => seen(page, 'hero').innerText()).toBe(`表示中：${ARM_NAMES[arm]} — 実験「${EXPERIMENT}」`);
    expect(await layoutShift(page)).toBe(0);
    expect(errors.pageErrors).toEqual([]);
    await context.close();
  });
});
