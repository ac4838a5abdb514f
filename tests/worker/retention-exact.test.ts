/**
 * Event retention changes no number: members with a year of server history (page views,
 * downloads, inquiries, capped rules, decay) and browsers that signed in and entered an
 * experiment are decided, scored, counted into segment history, trained on and reported before
 * retention; retention then deletes every event older than its cut, in small chunks (so members'
 * folds are built across many chunks); and every answer is computed again and compared.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { retentionCut } from '../../worker/core/retention';
import { DAY_MS } from '../../worker/core/types';
import { createDb } from '../../worker/db/client';
import { currentConfig } from '../../worker/services/config-store';
import { runRetention } from '../../worker/services/retention/job';
import { api } from './admin-helpers';
import { call, count, eid, json, loadDemo, pageView, post, SERVER, signIn, vid } from './helpers';

const NOW = Date.now();
const MEMBERS = 24;
const EXP = 'exp_consideration_hero';

/** A small deterministic generator, so a failure can be replayed. */
function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

const CATEGORIES = ['pricing', 'case_study', 'blog', 'product', 'careers'];

function history(i: number) {
  const r = rng(i + 1);
  const events: { id: string; type: string; at: string; props: Record<string, unknown> }[] = [];
  const n = 20 + Math.floor(r() * 60);
  for (let k = 0; k < n; k++) {
    // Between 360 and 1 days ago; some bursts on one day (daily caps).
    const day = r() < 0.2 ? 250 : 1 + Math.floor(r() * 359);
    const at = new Date(NOW - day * DAY_MS - Math.floor(r() * 3_600_000)).toISOString();
    const pick = r();
    if (pick < 0.65) events.push({ id: eid('pv'), type: 'page_view', at, props: { category: CATEGORIES[Math.floor(r() * 5)]! } });
    else if (pick < 0.85) events.push({ id: eid('dl'), type: 'download', at, props: { kind: r() < 0.5 ? 'whitepaper' : 'case_study' } });
    else events.push({ id: eid('inq'), type: 'form_inquiry', at, props: { form: 'contact' } });
  }
  return events;
}

interface Snapshot {
  profiles: unknown[];
  decisions: unknown[];
  model: any;
  segmentDays: unknown[];
  results: ExperimentResults;
  exposures: number;
  conversions: number;
}

const visitors: string[] = [];

async function snapshot(): Promise<Snapshot> {
  const { results: profiles } = await env.DB.prepare('SELECT id, profile, score, last_active_at FROM members ORDER BY id').all();
  const decisions = [];
  for (const v of visitors) {
    // A decide with no event reads the profile and writes nothing new (the arm is already stored).
    const body = await json(await post('/v1/decide', { visitorId: v, slots: ['hero'], events: [] }));
    decisions.push({ segment: body.segment, slots: body.slots });
  }
  const trained = await api('POST', '/models', { key: 'inquiry', name: 'inquiry', event: 'form_inquiry', days: 30 });
  expect(trained.status).toBe(201);
  const { trainedAt: _, ...model } = trained.body;
  const backfill = await api('POST', '/segment-history/backfill', { days: 60 });
  expect(backfill.status).toBe(200);
  const { results: segmentDays } = await env.DB.prepare('SELECT * FROM segment_days ORDER BY segment, day').all();
  const results = await json(await call('GET', `/api/experiments/${EXP}/results`, undefined, { authorization: 'Bearer dev-admin-token' }));
  return {
    profiles,
    decisions,
    model,
    segmentDays,
    results,
    exposures: await count('exposures'),
    conversions: await count('conversions'),
  };
}

let before: Snapshot;
let run: Awaited<ReturnType<typeof runRetention>>;
let eventsBefore = 0;

beforeAll(async () => {
  await loadDemo();
  for (let i = 0; i < MEMBERS; i++) {
    const memberId = `ret-${String(i).padStart(3, '0')}`;
    const put = await call(
      'PUT',
      `/v1/server/members/${memberId}`,
      { traits: { industry: i % 3 ? 'SaaS' : 'IT', employees: 50 + i * 10 } },
      { ...SERVER, 'content-type': 'application/json' },
    );
    expect(put.status).toBe(200);
    const events = history(i);
    for (let k = 0; k < events.length; k += 50) {
      const res = await post('/v1/server/collect', { memberId, events: events.slice(k, k + 50) }, SERVER);
      expect(res.status).toBe(200);
    }
    // A third of them also browse, sign in and see the experiment's slot; some inquire after.
    if (i % 3 === 0) {
      const v = await signIn(vid(`re${i}`), memberId, { industry: 'SaaS', employees: 120 });
      await post('/v1/decide', { visitorId: v, slots: ['hero'], events: [pageView()] });
      if (i % 2 === 0)
        await post('/v1/collect', { visitorId: v, events: [{ id: eid('inq'), type: 'form_inquiry', props: { form: 'contact' } }] });
      visitors.push(v);
    }
  }
  // Light members in the experiment's segment (a case study, SaaS/120): one old page view each
  // (deleted by retention), then a decide that enters an arm, half of them converting after.
  for (let i = 0; i < 8; i++) {
    const memberId = `ret-exp-${i}`;
    const old = { id: eid('old'), type: 'page_view', at: new Date(NOW - 330 * DAY_MS).toISOString(), props: { category: 'blog' } };
    expect((await post('/v1/server/collect', { memberId, events: [old] }, SERVER)).status).toBe(200);
    const v0 = vid(`rx${i}`);
    const caseStudy = { id: eid('dl'), type: 'download', props: { asset: '/cases/acme.pdf', kind: 'case_study' } };
    await post('/v1/collect', { visitorId: v0, events: [caseStudy] });
    const v = await signIn(v0, memberId, { industry: 'SaaS', employees: 120 });
    await post('/v1/decide', { visitorId: v, slots: ['hero'], events: [pageView()] });
    if (i % 2 === 0)
      await post('/v1/collect', { visitorId: v, events: [{ id: eid('inq'), type: 'form_inquiry', props: { form: 'contact' } }] });
    visitors.push(v);
  }
  eventsBefore = await count('events');
  before = await snapshot();
  // The shortest horizon allowed: the demo's longest window decides it (~270 days), so the
  // year of history is cut in two and every reader runs at the same time as retention.
  run = await runRetention(
    { d1: env.DB, db: createDb(env.DB), now: NOW },
    { horizonDays: 1, archive: env.ARCHIVE, chunkRows: 40, budgetMs: 60_000 },
  );
}, 120_000);

/** `GET /api/experiments/:id/results`, as far as this test reads it. */
interface ExperimentResults {
  visitorsPerDay: number;
  arms: Record<string, unknown>[];
}

/** Experiment results without what depends on the wall clock (traffic per day and the days it projects). */
function clockFree(results: ExperimentResults) {
  return {
    ...results,
    visitorsPerDay: null,
    arms: results.arms.map(({ moreDays: _days, message: _message, ...arm }) => arm),
  };
}

describe('retention changes no number', () => {
  it('deleted every event older than its cut, and only those', async () => {
    expect(run.error).toBeUndefined();
    expect(run.done).toBe(true);
    const config = await currentConfig({ d1: env.DB, db: createDb(env.DB) });
    expect(run.horizonDays).toBe(90 + config.retentionDays + 1);
    expect(run.cut).toBe(retentionCut(NOW, run.horizonDays));
    expect(await count('events', 'at < ?', run.cut)).toBe(0);
    // The history spans 360 days, the cut is ~270 days back: a part went, most stays.
    expect(run.deleted).toBeGreaterThan(eventsBefore / 10);
    expect(await count('events')).toBe(eventsBefore - run.deleted);
    expect(run.chunks).toBeGreaterThan(10);
    expect(run.folded).toBeGreaterThan(MEMBERS);
    expect(await count('event_folds')).toBe(MEMBERS + 8);
  });

  it('profiles, decisions, the trained model, segment history and experiment results are unchanged', async () => {
    const after = await snapshot();
    expect(after.profiles).toEqual(before.profiles);
    expect(after.decisions).toEqual(before.decisions);
    expect(after.decisions.length).toBe(visitors.length);
    // Trained from folds + the events left: the same rows, features, coefficients and metrics.
    expect(after.model).toEqual(before.model);
    expect(before.model.metrics.train.rows).toBe(MEMBERS + 8);
    expect(after.segmentDays).toEqual(before.segmentDays);
    expect(before.segmentDays.length).toBeGreaterThan(0);
    // Traffic per day divides by the part of today that has passed, so it moves with the clock
    // between the two snapshots (so do the days it projects, and the sentences naming them);
    // everything counted is compared exactly.
    expect(clockFree(after.results)).toEqual(clockFree(before.results));
    expect(before.results.visitorsPerDay).toBeGreaterThan(0);
    expect(after.results.visitorsPerDay).toBeCloseTo(before.results.visitorsPerDay, -1);
    expect(after.exposures).toBe(before.exposures);
    expect(after.conversions).toBe(before.conversions);
    expect(before.exposures).toBeGreaterThan(0);
    expect(before.conversions).toBeGreaterThan(0);
  });
});
