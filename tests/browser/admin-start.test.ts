/**
 * Starting an experiment with its duration in view, in Chromium and in Japanese: the draft's
 * page says how long it will take at the segment's current traffic (and warns past 4 weeks), the
 * start button asks with that estimate first; score tiers and segments are named apart; the
 * sign-in screen gives the dev token only on a local dev edge.
 */
import { describe, expect, it } from 'vitest';
import { adminApi, adminConsole, freshContext, signIn } from './support/admin-console';

const SERVER = { authorization: 'Bearer dev-server-key', 'content-type': 'application/json' };
const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();

const { edge, browser, page, errors } = await adminConsole({ locale: 'ja-JP', signIn: false });
await seedTraffic();
await signIn(page, edge);

/**
 * Forty SaaS members who downloaded a case study on one of the last five days: the segment
 * 検討段階 has a recorded daily activity once its history is rebuilt from those events. And a
 * draft experiment on it.
 */
async function seedTraffic() {
  for (let i = 0; i < 40; i++) {
    const memberId = `est-member-${i}`;
    await fetch(`${edge.url}/v1/server/members/${memberId}`, {
      method: 'PUT',
      headers: SERVER,
      body: JSON.stringify({ traits: { industry: 'SaaS', employees: 120 } }),
    });
    const collected = await fetch(`${edge.url}/v1/server/collect`, {
      method: 'POST',
      headers: SERVER,
      body: JSON.stringify({
        memberId,
        events: [
          { id: `estimate-event-${i}`, type: 'download', at: daysAgo((i % 5) + 1), props: { asset: '/case.pdf', kind: 'case_study' } },
        ],
      }),
    });
    expect(collected.status).toBe(200);
  }
  expect((await adminApi(edge, 'POST', '/segment-history/backfill', { days: 7 })).status).toBe(200);
  expect(
    (
      await adminApi(edge, 'POST', '/experiments', {
        id: 'exp_next',
        name: '次の事例テスト',
        slot: 'hero',
        segment: 'consideration',
        goal: { eventType: 'form_inquiry' },
        arms: [
          { key: 'control', weight: 0.5, variant: null },
          { key: 'case_a', weight: 0.5, variant: 'consideration_case_a' },
        ],
      })
    ).status,
  ).toBe(201);
}

describe('before starting an experiment', () => {
  it('the draft says how long it will take at the current traffic, and why', async () => {
    const api = (await adminApi(edge, 'GET', '/experiments/exp_next/estimate')).body;
    expect(api).toMatchObject({ trafficSource: 'activity', baselineSource: 'assumed', requiredPerArm: 8158, withinHorizon: false });
    expect(api.daysNeeded).toBeGreaterThan(28);

    await page.goto(`${edge.url}/admin/experiments/exp_next`);
    const card = page.locator('#estimate');
    await expect
      .poll(() => card.getByTestId('estimate-days').innerText())
      .toBe(`現在のトラフィックでは、結論が出るまで約 ${api.daysNeeded.toLocaleString('ja-JP')} 日かかる見込みです。`);
    const text = await card.innerText();
    expect(text).toContain('各パターンに 8,158 人が必要です');
    expect(text).toContain('コンバージョン率 5.0% を想定');
    expect(text).toContain('このセグメントで活動した人数');
    expect(await card.getByTestId('estimate-warning').innerText()).toContain('4週間以内に結論が出ない見込みです');
    expect(text).not.toMatch(/[A-Za-z]/);
  });

  it('the start button asks first, with the estimate', async () => {
    const api = (await adminApi(edge, 'GET', '/experiments/exp_next/estimate')).body;
    await page.locator('.row-actions button', { hasText: '開始' }).click();
    const message = page.locator('dialog.dialog #confirm-message');
    await expect.poll(() => message.innerText()).toContain('「次の事例テスト」を開始しますか？');
    expect(await message.innerText()).toContain(`約 ${api.daysNeeded.toLocaleString('ja-JP')} 日`);
    await page.locator('dialog.dialog .btn').first().click();
    expect((await adminApi(edge, 'GET', '/experiments/exp_next')).body.status).toBe('draft');
  });
});

describe('tier and segment named apart', () => {
  it('score tiers read as ランク, never as a bare ホット beside the segment ホットリード', async () => {
    await page.goto(`${edge.url}/admin/segments`);
    expect(await page.getByTestId('tier-vs-segment').innerText()).toContain(
      'スコアランク（ホットランク・ウォームランク・コールドランク）は点数だけで決まる',
    );
    await page.goto(`${edge.url}/admin/members`);
    const tierFilter = page.locator('select[name=tier] option');
    await expect
      .poll(() => tierFilter.allInnerTexts())
      .toEqual(expect.arrayContaining(['ホットランク', 'ウォームランク', 'コールドランク']));
  });
});

describe('the sign-in screen', () => {
  it('gives the dev token on a local dev edge only', async () => {
    const local = await (await freshContext(browser, 'ja-JP')).newPage();
    await local.goto(`${edge.url}/admin/`);
    const help = local.locator('form .field').first();
    await expect.poll(() => help.innerText()).toContain('ローカル開発環境です。トークンは「dev-admin-token」です。');
    await local.close();

    // A deployment's /healthz never says localDev (tests/worker/production.test.ts): the hint stays away.
    const deployed = await (await freshContext(browser, 'ja-JP')).newPage();
    await deployed.route('**/healthz', (route) => route.fulfill({ json: { ok: true } }));
    await deployed.goto(`${edge.url}/admin/`);
    await expect.poll(() => deployed.locator('form .field').first().innerText()).toContain('この環境の ADMIN_TOKEN を入力してください。');
    await deployed.waitForTimeout(300);
    expect(await deployed.locator('form').innerText()).not.toContain('dev-admin-token');
    await deployed.close();
  });

  it('raised no script errors', () => {
    expect(errors.pageErrors).toEqual([]);
    expect(errors.consoleErrors).toEqual([]);
  });
});
