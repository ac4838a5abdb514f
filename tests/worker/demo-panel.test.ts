/**
 * What the demo site's panel reads (DEMO_MODE only): the site's names for keys — display names,
 * segments, slots, content and experiments with their arms — and, for a visitor, the experiment
 * arms they are in, so the page can say "you see: control" or the content's name. Production
 * answers 404 for both (tests/worker/production.test.ts covers the switch).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { call, eid, json, loadDemo, pageView, post, signIn, vid } from './helpers';

beforeAll(loadDemo);

describe('/demo/api/names', () => {
  it('gives the names the panel shows instead of keys', async () => {
    const res = await call('GET', '/demo/api/names');
    expect(res.status).toBe(200);
    const names = await json(res);
    expect(names.segments).toContainEqual({ key: 'hot_lead', name: 'ホットリード' });
    expect(names.slots).toContainEqual({ key: 'hero', name: 'メインビジュアル' });
    expect(names.variants).toContainEqual({
      id: 'consideration_case_a',
      name: 'Case A: 同業の導入事例',
      slot: 'hero',
      segment: 'consideration',
    });
    expect(names.vocabulary.traits.industry).toMatchObject({ ja: '業種', en: 'Industry' });
    expect(names.vocabulary.traits.industry.values.Manufacturing).toEqual({ ja: '製造業', en: 'Manufacturing' });
    const [exp] = names.experiments;
    expect(exp).toMatchObject({ id: 'exp_consideration_hero', status: 'running', slot: 'hero', segment: 'consideration' });
    expect(exp.arms.map((a: { key: string }) => a.key)).toEqual(['control', 'case_a', 'case_b']);
    // Configuration only: no secret of any kind.
    expect(JSON.stringify(names)).not.toMatch(/whsec_|secret|hooks\.example/);
  });
});

describe('/demo/api/token', () => {
  it('signs in as one of the two sample members; anything else is a 400 naming `as`', async () => {
    const ok = await call('GET', '/demo/api/token?as=manufacturer');
    expect(ok.status).toBe(200);
    expect((await json(ok)).token.split('.')).toHaveLength(3);
    for (const query of ['?as=nobody', '']) {
      const res = await call('GET', `/demo/api/token${query}`);
      expect(res.status, query).toBe(400);
      const body = await json(res);
      expect(body.error.code).toBe('invalid_request');
      expect(body.error.issues.map((i: { path: string[] }) => i.path.join('.'))).toEqual(['as']);
    }
  });
});

describe('/demo/api/visitor/:id', () => {
  it('says which arm of the running experiment the visitor is in', async () => {
    const anonymous = vid('panel');
    await post('/v1/decide', { visitorId: anonymous, slots: ['hero'], events: [pageView()] });
    // Writes may land just after the answer (they can be handed to a queue): wait for them.
    await expect.poll(async () => (await call('GET', `/demo/api/visitor/${anonymous}`)).status).toBe(200);
    expect((await json(await call('GET', `/demo/api/visitor/${anonymous}`))).exposures).toEqual({});

    // A SaaS member who downloaded a case study is in "consideration", where the hero is tested.
    const visitor = await signIn(vid('panel'), 'demo-panel-member', { industry: 'SaaS', employees: 120 });
    await post('/v1/collect', {
      visitorId: visitor,
      events: [{ id: eid(), type: 'download', props: { asset: '/case.pdf', kind: 'case_study' } }],
    });
    const decided = await json(await post('/v1/decide', { visitorId: visitor, slots: ['hero'], events: [] }));
    expect(decided.segment.key).toBe('consideration');
    const panel = () => call('GET', `/demo/api/visitor/${visitor}`).then(json);
    await expect.poll(async () => (await panel()).exposures).toEqual({ exp_consideration_hero: decided.slots.hero.arm });
    expect(await panel()).toMatchObject({ segment: 'consideration', memberId: 'demo-panel-member' });
  });
});
