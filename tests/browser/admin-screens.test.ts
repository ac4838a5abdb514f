/**
 * The rest of the console in Chromium: scoring (simulator, field errors), page categories
 * (URL tester), experiments (create with a control arm, start / pause / stop), members (list search,
 * why, score chart), and every screen opening by deep link with no script error.
 */
import { describe, expect, it } from 'vitest';
import { adminApi, adminConsole } from './support/admin-console';

const { edge, page, errors } = await adminConsole();

describe('admin screens', () => {
  it('opens every screen by deep link without a script error', async () => {
    for (const path of [
      'segments',
      'segments/new',
      'scoring',
      'categories',
      'content',
      'content/hero/hot_lead',
      'experiments',
      'experiments/new',
      'experiments/exp_consideration_hero',
      'members',
      'preview',
      'no-such-screen',
    ]) {
      await page.goto(`${edge.url}/admin/${path}`);
      await page.locator('main h1, main .state').first().waitFor();
    }
    expect(errors.pageErrors).toEqual([]);
    expect(errors.consoleErrors).toEqual([]);
  });

  it('scoring: the simulator answers before saving; a bad threshold is refused next to its field', async () => {
    await page.goto(`${edge.url}/admin/scoring`);
    await page.getByTestId('sim-score').waitFor();
    expect(Number(await page.getByTestId('sim-score').innerText())).toBeGreaterThan(0);
    expect(await page.getByTestId('sim-segment').innerText()).toBe('ホットリード');

    await page.getByLabel('Warm from').fill('90');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const warm = page.locator('.field', { has: page.getByLabel('Warm from') });
    await expect.poll(() => warm.locator('.field-error').count()).toBe(1);
    expect((await adminApi(edge, 'GET', '/scoring')).body.settings.warmAt).toBe(30);

    await page.getByLabel('Warm from').fill('25');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(async () => (await adminApi(edge, 'GET', '/scoring')).body.settings.warmAt).toBe(25);
  });

  it('page categories: the tester names the category of a URL', async () => {
    await page.goto(`${edge.url}/admin/categories`);
    await page.getByLabel('URL', { exact: true }).fill('https://www.example.co.jp/pricing/enterprise');
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await expect.poll(() => page.locator('#category-result').innerText()).toContain('pricing');
    await page.getByLabel('URL', { exact: true }).fill('/about');
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await expect.poll(() => page.locator('#category-result').innerText()).toContain('No rule matches');
  });

  it('experiments: create one with a control arm, start, pause and stop it', async () => {
    await page.goto(`${edge.url}/admin/experiments/new`);
    await page.getByLabel('Name', { exact: true }).fill('Dormant welcome test');
    await page.getByLabel('Slot', { exact: true }).selectOption('hero');
    await page.getByLabel('Segment', { exact: true }).selectOption('dormant');
    expect(await page.getByLabel(/Include a control arm/).isChecked()).toBe(true);
    // Arms are labelled by their position in the form, not by their key.
    await page.getByLabel('Arms 1 Content', { exact: true }).selectOption('dormant_hero');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.waitForURL(/\/admin\/experiments\/exp_hero_dormant_/);
    const id = page.url().split('/').pop()!;
    const created = (await adminApi(edge, 'GET', `/experiments/${id}`)).body;
    expect(created.arms).toEqual([
      { key: 'control', weight: 0.5, variant: null },
      { key: 'variant_a', weight: 0.5, variant: 'dormant_hero' },
    ]);
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    // Starting asks first, with how long the test will take at the current traffic.
    await expect.poll(() => page.locator('dialog[open] #confirm-message').innerText()).toContain('Start “');
    await page.locator('dialog[open]').getByRole('button', { name: 'Start' }).click();
    await expect.poll(async () => (await adminApi(edge, 'GET', `/experiments/${id}`)).body.status).toBe('running');
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await expect.poll(async () => (await adminApi(edge, 'GET', `/experiments/${id}`)).body.status).toBe('paused');
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await page.locator('dialog[open]').getByRole('button', { name: 'Stop' }).click();
    await expect.poll(async () => (await adminApi(edge, 'GET', `/experiments/${id}`)).body.status).toBe('stopped');
  });

  it('experiments: a variant from another cell is refused next to the arm', async () => {
    await page.goto(`${edge.url}/admin/experiments/new`);
    await page.getByLabel('Name', { exact: true }).fill('CTA test');
    await page.getByLabel('Slot', { exact: true }).selectOption('cta');
    await page.getByLabel('Segment', { exact: true }).selectOption('hot_lead');
    await page.getByLabel('Arms 1 Content', { exact: true }).selectOption('hot_lead_cta');
    // A second arm without content.
    await page.getByRole('button', { name: '+ Add arm' }).click();
    const before = (await adminApi(edge, 'GET', '/experiments')).body.experiments.length;
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    const armField = page.locator('.field', { has: page.getByLabel('Arms 2 Content', { exact: true }) });
    await expect.poll(() => armField.locator('.field-error').count()).toBe(1);
    expect((await adminApi(edge, 'GET', '/experiments')).body.experiments.length).toBe(before);
  });

  it('members: find by id prefix, see score, tier, segment, why and the score chart', async () => {
    const day = 86_400_000;
    const ev = (type: string, props: object, d: number) => ({
      id: `e-${crypto.randomUUID()}`,
      type,
      props,
      at: new Date(Date.now() - d * day).toISOString(),
    });
    await fetch(`${edge.url}/v1/server/collect`, {
      method: 'POST',
      headers: { authorization: 'Bearer dev-server-key', 'content-type': 'application/json' },
      body: JSON.stringify({
        memberId: 'bt-member-1',
        events: [
          ev('seminar_attend', { seminar: 'dx' }, 10),
          ev('page_view', { category: 'pricing' }, 2),
          ev('download', { asset: 'x.pdf', kind: 'case_study' }, 1),
        ],
      }),
    });
    await fetch(`${edge.url}/v1/server/members/bt-member-1`, {
      method: 'PUT',
      headers: { authorization: 'Bearer dev-server-key', 'content-type': 'application/json' },
      body: JSON.stringify({ traits: { industry: 'IT', employees: 300 } }),
    });
    await page.goto(`${edge.url}/admin/members`);
    await page.getByLabel('Search (ID prefix or any attribute text)').fill('bt-mem');
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await page.getByRole('link', { name: 'bt-member-1' }).click();
    await page.locator('#member-detail').waitFor();
    expect(await page.getByTestId('member-segment').innerText()).toBe('ホットリード');
    expect(Number(await page.getByTestId('member-score').innerText())).toBeGreaterThan(30);
    // The winning segment by its name; its key is the tooltip.
    const winner = page.locator('.why li.is-winner');
    expect(await winner.innerText()).toContain('ホットリード');
    expect(await winner.locator('strong').getAttribute('title')).toBe('hot_lead');
    expect(await page.locator('.chart svg circle').count()).toBe(3);
    expect(await page.locator('#events-table tbody tr').count()).toBe(3);

    await page.goto(`${edge.url}/admin/members`);
    await page.getByLabel('Search (ID prefix or any attribute text)').fill('nobody-at-all');
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await expect.poll(() => page.locator('.state-empty').innerText()).toContain('No member matches');
    expect(errors.pageErrors).toEqual([]);
  });
});
