/**
 * The results and lift screens in Chromium against the real local edge: ~30 consideration
 * visitors go through /v1/collect (a case-study download), /v1/identify (SaaS, 120 employees)
 * and /v1/decide into the demo experiment, some inquire afterwards; then the results page must
 * show the API's per-arm visitor counts, draw one line per arm, download the arm table and the
 * daily series as CSV (fetched with the token, saved from a Blob URL: no token in any URL), and
 * the lift page must show the overall comparison.
 */
import { describe, expect, it, vi } from 'vitest';
import { signJwt } from '../../worker/lib/jwt';
import { adminApi, adminConsole, signIn } from './support/admin-console';
import { downloaded } from './support/chromium';

const EXP = 'exp_consideration_hero';
const VISITORS = 30;

const { edge, page, errors } = await adminConsole({ signIn: false });
const urls: string[] = [];

async function v1(path: string, body: unknown): Promise<any> {
  const res = await fetch(`${edge.url}/v1/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST /v1/${path} → ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

const eventId = (label: string) => `${label}-${crypto.randomUUID()}`;

/** Visitor i: downloads a case study, is identified as a SaaS company of 120, sees the hero. */
async function visitor(i: number): Promise<{ i: number; visitorId: string; arm: string }> {
  const visitorId = `results-${i.toString().padStart(3, '0')}-${crypto.randomUUID().slice(0, 8)}`;
  await v1('collect', { visitorId, events: [{ id: eventId('dl'), type: 'download', props: { asset: '/cs.pdf', kind: 'case_study' } }] });
  const token = await signJwt(
    { sub: `member-${visitorId}`, traits: { industry: 'SaaS', employees: 120 }, exp: Math.floor(Date.now() / 1000) + 600 },
    'dev-identify-secret',
  );
  await v1('identify', { visitorId, token });
  const decided = await v1('decide', { visitorId, slots: ['hero'], events: [{ id: eventId('pv'), type: 'page_view', props: {} }] });
  expect(decided.segment?.key).toBe('consideration');
  return { i, visitorId, arm: decided.slots.hero.arm };
}

const seen: { i: number; visitorId: string; arm: string }[] = [];
for (let start = 0; start < VISITORS; start += 5) {
  seen.push(...(await Promise.all(Array.from({ length: 5 }, (_, k) => visitor(start + k)))));
}
// A decide's exposures reach D1 through the writes queue (about a second later); an inquiry is
// credited to the arm its visitor was exposed to, so the inquiries come once every exposure is in.
await vi.waitFor(
  async () => {
    const { arms } = (await adminApi(edge, 'GET', `/experiments/${EXP}/results`)).body;
    expect(arms.reduce((s: number, a: { visitors: number }) => s + a.visitors, 0)).toBe(VISITORS);
  },
  { timeout: 15_000, interval: 250 },
);
// Some inquire afterwards: every third visitor, and every other one who saw case_a.
for (const { i, visitorId, arm } of seen) {
  if (i % 3 === 0 || (arm === 'case_a' && i % 2 === 0)) {
    await v1('collect', { visitorId, events: [{ id: eventId('inq'), type: 'form_inquiry', props: { form: 'contact' } }] });
  }
}
await page.setViewportSize({ width: 1280, height: 900 });
page.on('request', (r) => urls.push(r.url()));
await signIn(page, edge);

/** RFC 4180 enough for our files (quoted cells with "" escapes); drops the BOM. */
function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\r' && s[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += ch;
  }
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}

async function download(selector: string, withKeyboard = false): Promise<{ url: string; name: string; text: string }> {
  const button = page.locator(selector);
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    withKeyboard ? button.focus().then(() => page.keyboard.press('Enter')) : button.click(),
  ]);
  const raw = await downloaded(file);
  expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return { url: file.url(), name: file.suggestedFilename(), text: raw.toString('utf8') };
}

describe('experiment results page', () => {
  it('shows the API’s visitors per arm, one chart line per arm, and exports CSV', async () => {
    const api = (await adminApi(edge, 'GET', `/experiments/${EXP}/results`)).body;
    expect(api.arms.reduce((s: number, a: { visitors: number }) => s + a.visitors, 0)).toBe(VISITORS);

    // From the experiments list, by its link.
    await page.goto(`${edge.url}/admin/experiments`);
    await page.locator(`tr[data-experiment="${EXP}"] a[href$="/results"]`).click();
    await page.waitForURL(new RegExp(`/admin/experiments/${EXP}/results$`));
    await page.locator('#results-arms').waitFor();
    expect(await page.locator('main h1').innerText()).toContain('Results:');

    for (const arm of api.arms as { key: string; visitors: number; conversions: number; verdict: string | null }[]) {
      const row = page.locator(`#results-arms tr[data-arm="${arm.key}"]`);
      expect(await row.locator('[data-col="visitors"]').innerText()).toBe(arm.visitors.toLocaleString('en-US'));
      expect(await row.locator('[data-col="conversions"]').innerText()).toBe(arm.conversions.toLocaleString('en-US'));
      if (arm.verdict) expect(await row.locator('.verdict').getAttribute('data-verdict')).toBe(arm.verdict);
    }
    expect(await page.locator('#results-arms svg.ci-bar').count()).toBe(
      api.arms.filter((a: { visitors: number }) => a.visitors > 0).length,
    );
    // The SRM banner only when the API says the split is broken.
    expect(await page.getByTestId('srm-banner').count()).toBe(api.srm.ok ? 0 : 1);
    expect(await page.getByTestId('enough-note').innerText()).toMatch(/visitors per arm|Enough data/);

    // One line per arm, an accessible image with its numbers in a hidden table.
    const chart = page.locator('figure.cvr-chart');
    expect(await chart.locator('path.cvr-line').count()).toBe(api.arms.length);
    expect(await chart.locator('svg[role="img"]').getAttribute('aria-label')).toContain('cumulative CVR');
    expect(await chart.locator('table.sr-only tbody tr').count()).toBeGreaterThanOrEqual(1);

    // CSV exports: the arm rows, and the daily series (this one by keyboard).
    const arms = await download('button[data-csv="results"]');
    expect(arms.url).toMatch(/^blob:/);
    expect(arms.name).toBe(`${EXP}-results.csv`);
    const rows = parseCsv(arms.text);
    expect(rows.map((r) => r.arm)).toEqual(api.arms.map((a: { key: string }) => a.key));
    for (const a of api.arms) expect(Number(rows.find((r) => r.arm === a.key)!.visitors)).toBe(a.visitors);

    const daily = await download('button[data-csv="series"]', true);
    expect(daily.name).toBe(`${EXP}-series.csv`);
    const points = parseCsv(daily.text);
    expect(new Set(points.map((p) => p.arm))).toEqual(new Set(api.arms.map((a: { key: string }) => a.key)));

    // The token travelled in a header only.
    expect(urls.filter((u) => u.includes('dev-admin-token'))).toEqual([]);

    // For a look at the page: SCREENSHOT_DIR=/tmp/shots npx vitest run --project browser tests/browser/admin-results.test.ts
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/results.png`, fullPage: true });
    expect(errors.pageErrors).toEqual([]);
    expect(errors.consoleErrors).toEqual([]);
  });

  it('in Japanese: headings, verdict messages and CSV headers follow the language', async () => {
    const api = (await adminApi(edge, 'GET', `/experiments/${EXP}/results`)).body;
    await page.getByRole('button', { name: '日本語' }).click();
    await expect.poll(() => page.locator('main h1').innerText()).toContain('結果:');
    const judged = (api.arms as { key: string; message: { ja: string } | null }[]).filter((a) => a.message);
    for (const a of judged) expect(await page.locator(`tr[data-arm="${a.key}"] .verdict`).innerText()).toContain(a.message!.ja);
    const csv = await download('button[data-csv="results"]');
    expect(csv.text.split('\r\n')[0]).toContain('訪問者数');
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.locator('main h1').innerText()).toContain('Results:');
  });

  it('an unknown experiment shows an error, not a blank page', async () => {
    await page.goto(`${edge.url}/admin/experiments/no_such_experiment/results`);
    await page.locator('main .state-error').waitFor();
    expect(errors.pageErrors).toEqual([]);
  });
});

describe('personalization lift page', () => {
  it('shows the overall comparison of segment content vs the generic page, in plain words', async () => {
    const lift = (await adminApi(edge, 'GET', '/lift')).body;
    expect(lift.overall.experiments).toContain(EXP);
    await page.goto(`${edge.url}/admin/experiments`);
    await page.locator('nav.sidenav a[href="/admin/lift"]').click();
    const overall = page.getByTestId('lift-overall');
    await overall.waitFor();
    const text = await overall.innerText();
    expect(text).toContain(`${lift.overall.personalized.conversions} of ${lift.overall.personalized.visitors} visitors`);
    expect(text).toContain(`${lift.overall.control.conversions} of ${lift.overall.control.visitors} visitors`);
    expect(lift.overall.personalized.visitors + lift.overall.control.visitors).toBe(VISITORS);
    // Thirty visitors cannot settle it, and the page says so.
    expect(text).toMatch(/Not enough data yet|converted \d+% (more|less) often/);
    expect(await page.locator('#lift-segments tr[data-segment="consideration"]').count()).toBe(1);
    expect(await page.locator(`#lift-experiments tr[data-experiment="${EXP}"] a`).getAttribute('href')).toBe(
      `/admin/experiments/${EXP}/results`,
    );
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/lift.png`, fullPage: true });

    // The scope switch re-reads (all started experiments include the running one).
    await page.getByRole('button', { name: 'All started experiments' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'All started experiments' }).getAttribute('aria-pressed')).toBe('true');
    await overall.waitFor();
    expect(errors.pageErrors).toEqual([]);
    expect(errors.consoleErrors).toEqual([]);
  });
});
