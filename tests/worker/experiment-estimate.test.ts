/**
 * `GET /api/experiments/:id/estimate` through the real worker and a local D1: the days a draft
 * needs at the segment's current traffic (new visitors per site day entering the experiment on
 * the same slot × segment, from the exposures table), with the sample size the core computes.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { api } from './admin-helpers';
import { eid, loadDemo, post, signIn, vid } from './helpers';

let today: number | undefined;

beforeAll(async () => {
  await loadDemo();
  // A real exposure gives today's site day (the worker's own calendar).
  const visitor = await signIn(vid('est'), 'estimate-member', { industry: 'SaaS', employees: 120 });
  await post('/v1/collect', {
    visitorId: visitor,
    events: [{ id: eid(), type: 'download', props: { asset: '/case.pdf', kind: 'case_study' } }],
  });
  await post('/v1/decide', { visitorId: visitor, slots: ['hero'], events: [] });
  // Writes may land just after the answer (they can be handed to a queue).
  for (let i = 0; i < 100 && today === undefined; i++) {
    today = (await env.DB.prepare('SELECT day FROM exposures LIMIT 1').first<{ day: number }>())?.day as number;
    if (today === undefined) await new Promise((r) => setTimeout(r, 50));
  }
  if (today === undefined) throw new Error('the decide recorded no exposure');
  // 100 new visitors a day over the last 28 site days in the running demo experiment (hero × 検討段階).
  await env.DB.prepare(
    `WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < 2799)
     INSERT INTO exposures (experiment_id, visitor_id, member_id, arm, segment, at, day)
     SELECT 'exp_consideration_hero', 'synthetic-' || i, NULL, 'control', 'consideration', 0, ?1 - 28 + (i / 100) FROM seq`,
  )
    .bind(today!)
    .run();
});

describe('estimate before starting', () => {
  it('a 50/50 draft on the same slot × segment: 8158 per arm at 50 a day → 164 days', async () => {
    const created = await api('POST', '/experiments', {
      id: 'exp_next',
      name: '次の実験',
      slot: 'hero',
      segment: 'consideration',
      goal: { eventType: 'form_inquiry' },
      arms: [
        { key: 'control', weight: 0.5, variant: null },
        { key: 'case_a', weight: 0.5, variant: 'consideration_case_a' },
      ],
    });
    expect(created.status).toBe(201);
    const res = await api('GET', '/experiments/exp_next/estimate');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      windowDays: 28,
      perDay: 100,
      trafficSource: 'slot',
      baselineSource: 'assumed',
      baselineCvr: 0.05,
      uplift: 0.2,
      requiredPerArm: 8158,
      daysNeeded: 164,
      withinHorizon: false,
    });
    expect(res.body.arms).toEqual([
      { key: 'control', share: 0.5, exposed: 0, remaining: 8158 },
      { key: 'case_a', share: 0.5, exposed: 0, remaining: 8158 },
    ]);
  });

  it('a segment no experiment has run on, with no history: no estimate', async () => {
    await api('POST', '/experiments', {
      id: 'exp_dormant',
      name: '休眠',
      slot: 'hero',
      segment: 'dormant',
      goal: { eventType: 'login' },
      arms: [
        { key: 'control', weight: 0.5, variant: null },
        { key: 'back', weight: 0.5, variant: 'dormant_hero' },
      ],
    });
    const res = await api('GET', '/experiments/exp_dormant/estimate');
    expect(res.body).toMatchObject({ perDay: null, trafficSource: null, daysNeeded: null, withinHorizon: false });
  });

  it('an unknown experiment is a 404', async () => {
    const res = await api('GET', '/experiments/nope/estimate');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});
