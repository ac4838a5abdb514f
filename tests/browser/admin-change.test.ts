/**
 * Segments that see change, in Chromium against the real local edge: a churn rule (trend) with
 * an exclusion built in the rule builder, its live count, and the "why" on a member's page;
 * fit points edited on the scoring screen and shown beside the score.
 */
import { describe, expect, it } from 'vitest';
import { watchErrors } from './support/chromium';
import { adminApi, adminConsole } from './support/admin-console';

const { edge, signedInPage: adminPage } = await adminConsole({ signIn: false });

const DAY = 86_400_000;
const SERVER = { authorization: 'Bearer dev-server-key', 'content-type': 'application/json' };

/** A member with traits whose server reports `n` logins a day apart starting `from` days ago, per run. */
async function member(id: string, traits: Record<string, unknown>, runs: [n: number, from: number][]) {
  let res = await fetch(`${edge.url}/v1/server/members/${id}`, { method: 'PUT', headers: SERVER, body: JSON.stringify({ traits }) });
  expect(res.status).toBe(200);
  const events = runs.flatMap(([n, from]) =>
    Array.from({ length: n }, (_, i) => ({
      id: `login-${id}-${from}-${i}`,
      type: 'login',
      at: new Date(Date.now() - (from - i) * DAY).toISOString(),
    })),
  );
  res = await fetch(`${edge.url}/v1/server/collect`, { method: 'POST', headers: SERVER, body: JSON.stringify({ memberId: id, events }) });
  expect(res.status).toBe(200);
}

await member('churn-a', { industry: 'SaaS' }, [
  [10, 50],
  [2, 10],
]);
await member('steady-b', { industry: 'SaaS' }, [
  [10, 50],
  [10, 20],
]);
await member('rival-c', { phase: 'competitor_user' }, [
  [10, 50],
  [1, 10],
]);
await member('exec-d', { level: 'manager', industry: 'SaaS', company: 'Fit Co' }, [[1, 1]]);

describe('the rule builder sees change', () => {
  it('builds "logins halved, excluding competitors" with a live count, saves it, and explains it', async () => {
    const page = await adminPage();
    const errors = watchErrors(page);
    await page.goto(`${edge.url}/admin/segments/new`);
    await page.getByLabel('Name', { exact: true }).fill('Churn risk');
    await page.getByLabel('Key', { exact: true }).fill('churn_risk');

    await page.getByRole('button', { name: '+ Add condition' }).click();
    await page.getByLabel('Condition type').selectOption('trend');
    const trend = page.locator('fieldset.condition-trend');
    await trend.getByLabel('Event').selectOption('login');
    await trend.getByLabel('Period (days)').fill('30');
    await trend.getByLabel('Operator').selectOption('lte');
    await trend.getByLabel('Percent of before').fill('50');
    await trend.getByLabel('At least (times) before').fill('2');
    // Both members whose logins fell count; the steady one does not.
    await expect.poll(() => page.getByTestId('live-count').innerText(), { timeout: 10_000 }).toBe('2');

    await page.getByRole('button', { name: '+ Add group' }).click();
    const group = page.locator('fieldset.condition-group');
    await group.getByLabel('Match').selectOption('none');
    await group.getByRole('button', { name: '+ Add condition' }).click();
    const excluded = group.locator('fieldset.condition-trait');
    await excluded.getByLabel('Attribute name').fill('phase');
    await excluded.getByLabel('Operator').selectOption('eq');
    await excluded.getByLabel('Value').fill('competitor_user');
    await expect.poll(() => page.getByTestId('live-count').innerText(), { timeout: 10_000 }).toBe('1');
    expect(await page.locator('aside.live .sample').innerText()).toContain('churn-a');

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL(/\/admin\/segments$/);
    const row = page.locator('tr[data-segment="churn_risk"]');
    await expect.poll(() => row.innerText()).toContain('in the last 30 days ≤ 50% of the 30 days before');
    const saved = (await adminApi(edge, 'GET', '/segments/churn_risk')).body;
    expect(saved.rule.conditions).toEqual([
      { type: 'trend', event: 'login', where: {}, days: 30, op: 'lte', ratio: 0.5, minPrevious: 2 },
      { type: 'group', match: 'none', conditions: [{ type: 'trait', trait: 'phase', op: 'eq', value: 'competitor_user' }] },
    ]);

    await page.goto(`${edge.url}/admin/members/churn-a`);
    const why = page.locator('ol.why');
    await expect.poll(() => why.innerText()).toContain('2 in the last 30 days, 10 in the 30 before (20%)');
    // Keys may show as their display names (the vocabulary); the values are as saved.
    expect(await why.innerText()).toMatch(/none of \(.+ = competitor_user\)/);
    expect(errors.pageErrors).toEqual([]);
    await page.context().close();
  });

  it('says it in Japanese', async () => {
    const page = await adminPage('ja-JP');
    await page.goto(`${edge.url}/admin/members/churn-a`);
    const why = page.locator('ol.why');
    await expect.poll(() => why.innerText()).toContain('直近30日 2回・その前の30日 10回（20%）');
    expect(await why.innerText()).toMatch(/いずれも満たさない \(.+ が competitor_user\)/);
    await page.goto(`${edge.url}/admin/segments/churn_risk`);
    const match = page.locator('fieldset.condition-group').getByLabel('判定方法');
    await expect.poll(() => match.inputValue()).toBe('none');
    expect(await match.evaluate((el) => (el as unknown as HTMLSelectElement).selectedOptions[0]?.textContent)).toBe(
      'いずれの条件も満たさない（除外）',
    );
    await page.context().close();
  });
});

describe('fit points', () => {
  it('are added on the scoring screen, simulated, saved, and shown beside the score', async () => {
    const page = await adminPage();
    const errors = watchErrors(page);
    await page.goto(`${edge.url}/admin/scoring`);
    const fit = page.locator('#fit-rules');
    await fit.getByRole('button', { name: '+ Add fit rule' }).click();
    const row = fit.locator('tbody tr').first();
    await row.locator('input[name=fit-id]').fill('decision_maker');
    await row.locator('input[name=fit-trait]').fill('level');
    await row.locator('select[name=fit-op]').selectOption('in');
    await row.locator('input[name=fit-value]').fill('executive, manager');
    await row.locator('input[name=fit-points]').fill('15');
    // The simulator scores the unsaved rule against its attributes.
    await page.getByLabel('Attributes (one per line, e.g. industry=SaaS)').fill('level=executive\nindustry=SaaS');
    await expect.poll(() => page.getByTestId('sim-fit').innerText()).toBe('15');

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect
      .poll(async () => (await adminApi(edge, 'GET', '/scoring')).body.fit)
      .toEqual([{ id: 'decision_maker', trait: 'level', op: 'in', value: ['executive', 'manager'], points: 15, enabled: true }]);

    await page.goto(`${edge.url}/admin/members/exec-d`);
    await expect.poll(() => page.getByTestId('member-fit').innerText()).toBe('15');
    expect(await page.getByTestId('member-fit-reasons').innerText()).toContain('decision_maker +15');
    expect(await page.getByTestId('member-score').innerText()).not.toBe('');

    await page.goto(`${edge.url}/admin/members?q=exec-d`);
    const cell = page.locator('#members-table tbody tr', { hasText: 'exec-d' }).getByTestId('member-fit');
    await expect.poll(() => cell.innerText()).toBe('15');
    expect(errors.pageErrors).toEqual([]);
    await page.context().close();
  });
});

describe("the site's time zone", () => {
  it("shows the demo's Asia/Tokyo with the site clock, and saves a change", async () => {
    const page = await adminPage();
    await page.goto(`${edge.url}/admin/settings`);
    const zone = page.getByLabel('Time zone');
    await expect.poll(() => zone.inputValue()).toBe('Asia/Tokyo');
    expect(await page.getByTestId('site-clock').innerText()).toMatch(/The site's clock now: .*\d/);
    await zone.selectOption('Pacific/Honolulu');
    expect(await page.locator('#site-form .banner').innerText()).toContain('re-dated');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(async () => (await adminApi(edge, 'GET', '/site')).body.timeZone).toBe('Pacific/Honolulu');
    await zone.selectOption('Asia/Tokyo');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(async () => (await adminApi(edge, 'GET', '/site')).body.timeZone).toBe('Asia/Tokyo');
    await page.context().close();
  });
});

describe('segment history', () => {
  it('rebuilds past days from a segment page, charts them with the 28-day warning, and sums them up on the overview', async () => {
    const page = await adminPage();
    const errors = watchErrors(page);
    await page.goto(`${edge.url}/admin/segments/churn_risk`);
    const card = page.locator('#segment-history');
    await expect.poll(() => card.innerText()).toContain('No history yet');
    await card.getByRole('button', { name: 'Rebuild the last 90 days from events' }).click();
    await card.getByTestId('history-chart').waitFor();
    const api = (await adminApi(edge, 'GET', '/segment-history?days=90')).body;
    const churn = api.segments.find((x: { key: string }) => x.key === 'churn_risk');
    expect(churn.history).toHaveLength(90);
    // One dot per day, and the member whose logins halved is in it by the end.
    expect(await card.locator('svg circle.dot').count()).toBe(90);
    expect(churn.latest.size).toBe(1);
    expect(await card.getByTestId('history-latest').innerText()).toContain(`${churn.latest.date}: 1 in the segment`);
    expect(await card.getByTestId('history-warning').innerText()).toContain('Too small for an experiment to conclude within 28 days');

    await page.locator('nav.sidenav a[href="/admin/home"]').click();
    const row = page.locator('#home-segments tr[data-segment="churn_risk"]');
    await expect.poll(() => row.getByTestId('home-size').innerText()).toBe('1');
    expect(await row.innerText()).toContain('too small to test');
    expect(await page.locator('#home-experiments a[href="/admin/experiments/exp_consideration_hero/results"]').count()).toBe(1);
    expect(errors.pageErrors).toEqual([]);
    await page.context().close();
  });
});

describe('propensity models', () => {
  /** 120 members with a planted signal: pricing viewers inquire far more often (as tests/worker/propensity.test.ts). */
  async function plantSignal(days: number) {
    const off = 9 * 3_600_000;
    const t2 = Math.floor((Date.now() + off) / DAY) * DAY - off - days * DAY;
    const t1 = t2 - days * DAY;
    const iso = (ms: number) => new Date(ms).toISOString();
    // A few at a time: the local edge answers a burst of server writes with 503 + Retry-After.
    const one = async (i: number) => {
      const engaged = i % 2 === 0;
      const id = `pm-${String(i).padStart(3, '0')}`;
      const events: { id: string; type: string; at: string; props: Record<string, unknown> }[] = [];
      const add = (type: string, at: number, props: Record<string, unknown>) =>
        events.push({ id: `${id}-${events.length}`, type, at: iso(at), props });
      if (engaged) for (const k of [3, 4, 5, 16]) add('page_view', (k === 16 ? t2 + 14 * DAY : t1) - k * DAY, { category: 'pricing' });
      else for (const k of [4, 17]) add('page_view', (k === 17 ? t2 + 14 * DAY : t1) - k * DAY, { category: 'blog' });
      if ((engaged && i % 3 !== 0) || (!engaged && i % 15 === 1)) add('form_inquiry', t1 + 5 * DAY, { form: 'contact' });
      if ((engaged && i % 3 !== 1) || (!engaged && i % 15 === 2)) add('form_inquiry', t2 + 3 * DAY, { form: 'contact' });
      let res = await fetch(`${edge.url}/v1/server/members/${id}`, {
        method: 'PUT',
        headers: SERVER,
        body: JSON.stringify({ traits: { industry: 'SaaS' } }),
      });
      expect(res.status).toBe(200);
      res = await fetch(`${edge.url}/v1/server/collect`, {
        method: 'POST',
        headers: SERVER,
        body: JSON.stringify({ memberId: id, events }),
      });
      expect(res.status).toBe(200);
    };
    for (let i = 0; i < 120; i += 4) await Promise.all([i, i + 1, i + 2, i + 3].map(one));
  }

  it('trains a model in the console, shows its holdout check and verdict, and segments use "likelihood ≥ p"', async () => {
    await plantSignal(14);
    const page = await adminPage();
    const errors = watchErrors(page);
    await page.goto(`${edge.url}/admin/models`);
    const form = page.locator('#train-form');
    await form.getByLabel('Name', { exact: true }).fill('Inquiry in 14 days');
    await form.getByLabel('Key', { exact: true }).fill('inquiry_14d');
    await form.getByLabel('Outcome').selectOption('form_inquiry');
    await form.getByLabel('Within (days)').fill('14');
    await form.getByRole('button', { name: 'Train a model' }).click();
    const card = page.locator('article[data-model="inquiry_14d"]');
    await card.waitFor({ timeout: 30_000 });
    const model = (await adminApi(edge, 'GET', '/models/inquiry_14d')).body;
    expect(model.verdict).toEqual({ status: 'usable' });
    expect(await card.getByTestId('model-auc').innerText()).toBe(model.metrics.auc.auc.toFixed(3).replace(/0+$/, '').replace(/\.$/, ''));
    expect(await card.innerText()).toContain('Usable');
    expect(await card.getByTestId('model-holdout').innerText()).toContain(`converted); trained on`);
    const top = card.getByTestId('model-top');
    await expect.poll(() => top.locator(':scope > li').count()).toBe(10);
    expect(await top.locator(':scope > li').first().locator('ul li').count()).toBe(3);
    expect(await top.innerText()).toMatch(/log-odds\)/);

    // "Likelihood ≥ 40 %" in the rule builder, with the live count the API agrees with.
    await page.goto(`${edge.url}/admin/segments/new`);
    await page.getByLabel('Name', { exact: true }).fill('Likely to inquire');
    await page.getByLabel('Key', { exact: true }).fill('likely_inquiry');
    await page.getByRole('button', { name: '+ Add condition' }).click();
    await page.getByLabel('Condition type').selectOption('propensity');
    const cond = page.locator('fieldset.condition-propensity');
    await cond.getByLabel('Model').selectOption('inquiry_14d');
    await cond.getByLabel('Likelihood (%)').fill('40');
    const rule = { match: 'all', conditions: [{ type: 'propensity', model: 'inquiry_14d', op: 'gte', value: 0.4 }] };
    const expected = (await adminApi(edge, 'POST', '/segments/preview', { rule })).body.count;
    await expect.poll(() => page.getByTestId('live-count').innerText(), { timeout: 10_000 }).toBe(String(expected));
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL(/\/admin\/segments$/);
    expect((await adminApi(edge, 'GET', '/segments/likely_inquiry')).body.rule.conditions).toEqual(rule.conditions);

    // A member's page: the likelihood and the three factors behind it, in words.
    await page.goto(`${edge.url}/admin/members/pm-000`);
    const mine = page.locator('#member-propensity li[data-model="inquiry_14d"]');
    await expect.poll(() => mine.innerText()).toMatch(/Inquiry in 14 days: \d+(\.\d)?%/);
    expect(await mine.locator('ul li').count()).toBe(3);
    expect(errors.pageErrors).toEqual([]);
    await page.context().close();
  });
});
