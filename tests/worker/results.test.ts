/**
 * Experiment results end to end: simulated visitors go through /v1/decide and /v1/collect,
 * and the admin's results, series, CSV and lift endpoints must report exactly what was sent —
 * with goal events before exposure not counted, repeats counted once, visitors outside the
 * segment never exposed — from index-only aggregates, in one D1 batch.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeExperimentResults } from '../../worker/core/stats';
import { ARM_TOTALS_SQL, DAILY_SQL } from '../../worker/services/results/queries';
import { ADMIN, call, eid, identifyToken, json, loadDemo, pageView, post, vid } from './helpers';
import { siteCalendar } from '../../worker/core/zone';

const EXP = 'exp_consideration_hero';
const ARMS = ['control', 'case_a', 'case_b'];
const get = (path: string) => call('GET', path, undefined, ADMIN);

const download = () => ({ id: eid('dl'), type: 'download', props: { asset: '/cases/acme.pdf', kind: 'case_study' } });
const inquiry = () => ({ id: eid('inq'), type: 'form_inquiry', props: { form: 'contact' } });

/** What the test sent, per arm: exposed visitors and visitors converted after exposure. */
const sent = Object.fromEntries(ARMS.map((a) => [a, { visitors: 0, conversions: 0 }])) as Record<
  string,
  { visitors: number; conversions: number }
>;

/**
 * Visitor i: case-study download + SaaS/120 identify (→ consideration), then by i % 5:
 * 0 converts after exposure; 1 inquires before exposure only (must not count); 2 converts
 * after exposure twice (counts once); 3 inquires before AND after (counts: the later one);
 * 4 never converts.
 */
async function simulateVisitor(i: number) {
  const v = vid(`res${i}`);
  await post('/v1/collect', { visitorId: v, events: [download()] });
  const idr = await post('/v1/identify', { visitorId: v, token: await identifyToken(`m-${v}`, { industry: 'SaaS', employees: 120 }) });
  expect(idr.status).toBe(200);
  const kind = i % 5;
  if (kind === 1 || kind === 3) await post('/v1/collect', { visitorId: v, events: [inquiry()] });
  const decided = await json(await post('/v1/decide', { visitorId: v, slots: ['hero'], events: [pageView()] }));
  expect(decided.segment?.key).toBe('consideration');
  const arm: string = decided.slots.hero.arm;
  expect(ARMS).toContain(arm);
  sent[arm]!.visitors++;
  if (kind === 0 || kind === 2 || kind === 3) {
    await post('/v1/collect', { visitorId: v, events: [inquiry()] });
    sent[arm]!.conversions++;
  }
  if (kind === 2) await post('/v1/collect', { visitorId: v, events: [inquiry()] });
  // Later page views keep the sticky arm and add no exposure.
  await post('/v1/decide', { visitorId: v, slots: ['hero'], events: [pageView()] });
}

/** Outside the segment (non_target): decides and inquires, but is never exposed. */
async function simulateOutsider(i: number) {
  const v = vid(`out${i}`);
  await post('/v1/identify', { visitorId: v, token: await identifyToken(`m-${v}`, { industry: 'Retail', employees: 10 }) });
  const decided = await json(await post('/v1/decide', { visitorId: v, slots: ['hero'], events: [download()] }));
  expect(decided.segment?.key).toBe('non_target');
  await post('/v1/collect', { visitorId: v, events: [inquiry()] });
}

function d1Usage(res: Response) {
  const m = /reads=(\d+) batches=(\d+) statements=(\d+)/.exec(res.headers.get('server-timing') ?? '');
  if (!m) throw new Error('no d1 usage in Server-Timing');
  return { reads: Number(m[1]), batches: Number(m[2]), statements: Number(m[3]) };
}

/** RFC 4180, enough for our files: quoted cells with "" escapes and commas inside. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += ch;
  }
  return rows;
}

async function csvOf(res: Response) {
  const bytes = new Uint8Array(await res.arrayBuffer());
  // TextDecoder drops a BOM by default, so check the raw bytes first.
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const [header, ...rows] = parseCsv(new TextDecoder().decode(bytes));
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]])));
}

const num = (s: string | undefined) => (s === '' || s === undefined ? null : Number(s));

beforeAll(async () => {
  await loadDemo();
  // Ten visitors at a time: the order within a visitor matters, not across visitors.
  for (let start = 0; start < 60; start += 10) {
    await Promise.all(Array.from({ length: 10 }, (_, k) => simulateVisitor(start + k)));
  }
  await Promise.all(Array.from({ length: 5 }, (_, k) => simulateOutsider(k)));
}, 60_000);

describe('GET /api/experiments/:id/results', () => {
  it('reports exactly the exposures and conversions that were sent, in the docs/api.md#experiment-results shape', async () => {
    const res = await get(`/api/experiments/${EXP}/results`);
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.experiment).toEqual({ id: EXP, slot: 'hero', segment: 'consideration', goal: 'form_inquiry', status: 'running' });
    expect(body.arms.map((a: { key: string }) => a.key)).toEqual(ARMS);
    const total = ARMS.reduce((s, a) => s + sent[a]!.visitors, 0);
    expect(total).toBe(60);
    for (const arm of body.arms) {
      expect({ key: arm.key, visitors: arm.visitors, conversions: arm.conversions }).toEqual({ key: arm.key, ...sent[arm.key] });
      expect(arm.isControl).toBe(arm.key === 'control');
      expect(arm.weight).toBeCloseTo(1 / 3, 10);
      expect(arm.cvr).toBe(Math.round((arm.conversions / arm.visitors) * 1e4) / 1e4);
      expect(arm.ci[0]).toBeLessThanOrEqual(arm.cvr);
      expect(arm.ci[1]).toBeGreaterThanOrEqual(arm.cvr);
      for (const k of ['uplift', 'pValue', 'chanceToBeatControl']) expect(arm).toHaveProperty(k);
    }
    expect(body.arms[0]).toMatchObject({ uplift: null, pValue: null, chanceToBeatControl: null });
    expect(body.srm).toEqual({ pValue: expect.any(Number), ok: expect.any(Boolean) });
    expect(typeof body.enoughData).toBe('boolean');
    expect(body).toHaveProperty('requiredVisitorsPerArm');
    // The route adds nothing of its own: the same counts through the pure core give the same answer.
    // Days are the site's: the demo is in Asia/Tokyo.
    const today = siteCalendar('Asia/Tokyo').dayOf(Date.now());
    const expected = computeExperimentResults({
      experiment: body.experiment,
      arms: ARMS.map((k) => ({ key: k, weight: 1 / 3, isControl: k === 'control', ...sent[k]! })),
      daily: ARMS.map((k) => ({ day: today, arm: k, exposures: sent[k]!.visitors, conversions: sent[k]!.conversions })),
      visitorsPerDay: body.visitorsPerDay,
    });
    expect(body).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(body.visitorsPerDay).toBeGreaterThan(0);
  });

  it('costs one D1 batch of three aggregate statements on a warm isolate', async () => {
    await get(`/api/experiments/${EXP}/results`);
    const res = await get(`/api/experiments/${EXP}/results`);
    expect(d1Usage(res)).toEqual({ reads: 0, batches: 1, statements: 3 });
  });

  it('an unknown experiment is a 404 with the contract error shape, on every report', async () => {
    for (const path of ['results', 'series', 'results.csv']) {
      const res = await get(`/api/experiments/exp_nope/${path}`);
      expect(res.status).toBe(404);
      expect(await json(res)).toEqual({ error: { code: 'not_found', message: 'Experiment not found', params: { entity: 'experiment' } } });
    }
  });

  it('every report needs the admin token', async () => {
    for (const path of [
      `/api/experiments/${EXP}/results`,
      `/api/experiments/${EXP}/series`,
      `/api/experiments/${EXP}/results.csv`,
      '/api/lift',
    ]) {
      expect((await call('GET', path)).status).toBe(401);
      expect((await call('GET', path, undefined, { authorization: 'Bearer wrong' })).status).toBe(401);
    }
  });
});

describe('aggregate queries use the composite indexes', () => {
  it.each([
    ['daily exposures', DAILY_SQL.exposures, EXP, 'exposures_experiment_arm_day'],
    ['daily conversions', DAILY_SQL.conversions, EXP, 'conversions_experiment_arm_day'],
    ['lift exposures', ARM_TOTALS_SQL.exposures, JSON.stringify([EXP]), 'exposures_experiment_arm_day'],
    ['lift conversions', ARM_TOTALS_SQL.conversions, JSON.stringify([EXP]), 'conversions_experiment_arm_day'],
  ])('%s: covering index search, no temp b-tree', async (_, sql, arg, index) => {
    const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind(arg).all<{ detail: string }>();
    const details = plan.results.map((r) => r.detail).join('\n');
    expect(details).toContain(`USING COVERING INDEX ${index} (experiment_id=?)`);
    expect(details).not.toContain('TEMP B-TREE');
  });
});

describe('GET /api/experiments/:id/series', () => {
  it('today carries every exposure and conversion that was sent', async () => {
    const body = await json(await get(`/api/experiments/${EXP}/series`));
    // The date of the site's day (the demo is in Asia/Tokyo, ahead of UTC).
    const today = new Date(siteCalendar('Asia/Tokyo').dayOf(Date.now()) * 86_400_000).toISOString().slice(0, 10);
    expect(body.dates).toEqual([today]);
    expect(body.arms.map((a: { key: string }) => a.key)).toEqual(ARMS);
    for (const a of body.arms) {
      const { visitors, conversions } = sent[a.key]!;
      expect(a.points).toEqual([
        {
          date: today,
          exposures: visitors,
          conversions,
          cumulativeVisitors: visitors,
          cumulativeConversions: conversions,
          cumulativeCvr: visitors ? Math.round((conversions / visitors) * 1e4) / 1e4 : null,
        },
      ]);
    }
  });

  it('fills quiet days, accumulates across days, and ignores arms no longer configured', async () => {
    const id = 'exp_series_days';
    const day = Math.floor(Date.now() / 86_400_000) - 10;
    const arms = [
      { key: 'control', weight: 0.5, variant: null },
      { key: 'case_a', weight: 0.5, variant: 'consideration_case_a' },
    ];
    const exposure = (v: string, arm: string, d: number) =>
      env.DB.prepare(
        `INSERT INTO exposures (experiment_id, visitor_id, arm, segment, at, day) VALUES (?, ?, ?, 'consideration', ?, ?)`,
      ).bind(id, v, arm, d * 86_400_000, d);
    const conversion = (v: string, arm: string, d: number) =>
      env.DB.prepare(`INSERT INTO conversions (experiment_id, visitor_id, arm, event_id, at, day) VALUES (?, ?, ?, ?, ?, ?)`).bind(
        id,
        v,
        arm,
        `ev-${v}`,
        d * 86_400_000,
        d,
      );
    await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO experiments (id, name, slot, segment, goal, status, arms) VALUES (?, 'series', 'hero', 'consideration', ?, 'paused', ?)`,
      ).bind(id, JSON.stringify({ eventType: 'conversion', goal: 'demo_request' }), JSON.stringify(arms)),
      exposure('s1', 'control', day),
      exposure('s2', 'control', day),
      exposure('s3', 'case_a', day),
      exposure('s4', 'case_a', day + 2),
      exposure('s5', 'ghost', day + 2),
      conversion('s3', 'case_a', day + 2),
      conversion('s5', 'ghost', day + 2),
      env.DB.prepare(`UPDATE settings SET value = json_quote(?) WHERE key = 'config_version'`).bind(`series-${Date.now()}`),
    ]);
    const iso = (d: number) => new Date(d * 86_400_000).toISOString().slice(0, 10);
    const body = await json(await get(`/api/experiments/${id}/series`));
    expect(body.experiment).toMatchObject({ id, goal: 'conversion:demo_request', status: 'paused' });
    expect(body.dates).toEqual([iso(day), iso(day + 1), iso(day + 2)]);
    const [control, caseA] = body.arms;
    expect(control.points.map((p: any) => [p.exposures, p.cumulativeVisitors, p.cumulativeCvr])).toEqual([
      [2, 2, 0],
      [0, 2, 0],
      [0, 2, 0],
    ]);
    expect(
      caseA.points.map((p: any) => [p.exposures, p.conversions, p.cumulativeVisitors, p.cumulativeConversions, p.cumulativeCvr]),
    ).toEqual([
      [1, 0, 1, 0, 0],
      [0, 0, 1, 0, 0],
      [1, 1, 2, 1, 0.5],
    ]);
    const results = await json(await get(`/api/experiments/${id}/results`));
    expect(results.arms.map((a: any) => [a.key, a.visitors, a.conversions])).toEqual([
      ['control', 2, 0],
      ['case_a', 2, 1],
    ]);
    // Paused: no more traffic is coming, so no "about N more days".
    expect(results.visitorsPerDay).toBe(0);
    expect(results.arms[1].moreDays).toBeNull();

    const csv = await csvOf(await get(`/api/experiments/${id}/results.csv?series=1`));
    expect(csv.map((r) => [r.date, r.arm, num(r.exposures), num(r.cumulative_visitors)])).toEqual([
      [iso(day), 'control', 2, 2],
      [iso(day), 'case_a', 1, 1],
      [iso(day + 1), 'control', 0, 2],
      [iso(day + 1), 'case_a', 0, 1],
      [iso(day + 2), 'control', 0, 2],
      [iso(day + 2), 'case_a', 1, 2],
    ]);
  });
});

describe('GET /api/experiments/:id/results.csv', () => {
  it('is an Excel-ready attachment whose rows match the JSON', async () => {
    const res = await get(`/api/experiments/${EXP}/results.csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="exp_consideration_hero-results\.csv"/);
    const rows = await csvOf(res);
    const body = await json(await get(`/api/experiments/${EXP}/results`));
    expect(rows).toHaveLength(body.arms.length);
    body.arms.forEach((a: any, i: number) => {
      const r = rows[i]!;
      expect(r.experiment_id).toBe(EXP);
      expect(r.arm).toBe(a.key);
      expect(r.is_control).toBe(String(a.isControl));
      expect(num(r.weight)).toBe(a.weight);
      expect([num(r.visitors), num(r.conversions), num(r.cvr), num(r.cvr_ci_low), num(r.cvr_ci_high)]).toEqual([
        a.visitors,
        a.conversions,
        a.cvr,
        ...a.ci,
      ]);
      expect([num(r.uplift), num(r.uplift_ci_low), num(r.uplift_ci_high)]).toEqual(
        a.uplift ? [a.uplift.relative, ...a.uplift.ci] : [null, null, null],
      );
      expect([num(r.p_value), num(r.chance_to_beat_control)]).toEqual([a.pValue, a.chanceToBeatControl]);
      expect(r.verdict).toBe(a.verdict ?? '');
      expect(r.message).toBe(a.message?.en ?? '');
    });
  });

  it('lang=ja gives Japanese headers and messages, still UTF-8 with a BOM', async () => {
    const rows = await csvOf(await get(`/api/experiments/${EXP}/results.csv?lang=ja`));
    const body = await json(await get(`/api/experiments/${EXP}/results`));
    expect(Object.keys(rows[0]!)).toContain('訪問者数');
    expect(rows.map((r) => r.メッセージ)).toEqual(body.arms.map((a: any) => a.message?.ja ?? ''));
  });

  it('a bad query parameter is a 400', async () => {
    const res = await get(`/api/experiments/${EXP}/results.csv?lang=fr`);
    expect(res.status).toBe(400);
    expect((await json(res)).error.code).toBe('invalid_request');
  });
});

describe('GET /api/lift', () => {
  const sum = (keys: string[], f: 'visitors' | 'conversions') => keys.reduce((s, k) => s + sent[k]![f], 0);

  it('personalized (every non-control arm) vs control, per experiment, per segment and overall', async () => {
    const res = await get('/api/lift');
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.status).toBe('running');
    // The paused series experiment is not pooled by default.
    expect(body.experiments.map((e: { id: string }) => e.id)).toEqual([EXP]);
    const personalized = { visitors: sum(['case_a', 'case_b'], 'visitors'), conversions: sum(['case_a', 'case_b'], 'conversions') };
    const control = { visitors: sent.control!.visitors, conversions: sent.control!.conversions };
    const row = body.experiments[0];
    expect(row).toMatchObject({ id: EXP, slot: 'hero', segment: 'consideration', goal: 'form_inquiry', status: 'running' });
    expect(row.personalized).toMatchObject(personalized);
    expect(row.control).toMatchObject(control);
    const cvr = (c: number, n: number) => Math.round((c / n) * 1e4) / 1e4;
    expect(row.personalized.cvr).toBe(cvr(personalized.conversions, personalized.visitors));
    expect(row.control.cvr).toBe(cvr(control.conversions, control.visitors));
    if (control.conversions > 0) {
      const pc = personalized.conversions / personalized.visitors;
      const cc = control.conversions / control.visitors;
      expect(row.lift.relative).toBeCloseTo(pc / cc - 1, 4);
      expect(row.lift.ci[0]).toBeLessThanOrEqual(row.lift.relative);
    }
    expect(row.pValue).toBeGreaterThanOrEqual(0);
    expect(row.pValue).toBeLessThanOrEqual(1);
    const { experiments: _, ...comparison } = body.overall;
    const { id: __, name: ___, slot: ____, segment: _____, goal: ______, status: _______, ...expComparison } = row;
    expect(comparison).toEqual(expComparison);
    expect(body.segments).toEqual([{ segment: 'consideration', name: '検討段階', experiments: [EXP], ...expComparison }]);
  });

  it('status=all also pools stopped or paused experiments, and overall is the sum of the rows', async () => {
    const body = await json(await get('/api/lift?status=all'));
    const ids = body.experiments.map((e: { id: string }) => e.id);
    expect(ids).toContain(EXP);
    expect(ids).toContain('exp_series_days');
    for (const sideKey of ['personalized', 'control'] as const) {
      for (const f of ['visitors', 'conversions'] as const) {
        const total = body.experiments.reduce((s: number, e: any) => s + e[sideKey][f], 0);
        expect(body.overall[sideKey][f]).toBe(total);
        expect(body.segments.reduce((s: number, g: any) => s + g[sideKey][f], 0)).toBe(total);
      }
    }
    // The ghost arm (not configured) is not counted.
    expect(body.experiments.find((e: any) => e.id === 'exp_series_days').personalized).toMatchObject({ visitors: 2, conversions: 1 });
  });

  it('rejects an unknown status', async () => {
    expect((await get('/api/lift?status=maybe')).status).toBe(400);
  });
});
