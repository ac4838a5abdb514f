/**
 * Each demo segment of docs/api.md#demo-configuration, resolved at the edge through /v1/decide with real D1,
 * including the dormant member who comes back (still dormant on that visit).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { SERVER, daysAgo, eid, identifyToken, json, loadDemo, pageView, post, vid } from './helpers';

beforeAll(loadDemo);

const SAAS = { industry: 'SaaS', employees: 120 };

async function signIn(v: string, sub: string, traits: Record<string, unknown>) {
  const res = await post('/v1/identify', { visitorId: v, token: await identifyToken(sub, traits) });
  expect(res.status).toBe(200);
  return json(res);
}

async function decide(v: string, events: unknown[] = [pageView()]) {
  const res = await post('/v1/decide', { visitorId: v, slots: ['hero', 'cta'], events });
  expect(res.status).toBe(200);
  return json(res);
}

describe('demo segments', () => {
  it('hot_lead: target company, pricing within 7 days, a download → consultation offer in hero and cta', async () => {
    const v = vid('hot');
    await decide(v, [pageView('pricing'), { id: eid(), type: 'download', props: { asset: '/wp.pdf', kind: 'whitepaper' } }]);
    await signIn(v, `m-${v}`, SAAS);
    const body = await decide(v);
    expect(body.segment).toEqual({ key: 'hot_lead', name: 'ホットリード' });
    expect(body.slots.hero).toMatchObject({ variant: 'hot_lead_hero', experiment: null, arm: null });
    expect(body.slots.hero.content.html).toContain('1対1');
    expect(body.slots.cta).toMatchObject({ variant: 'hot_lead_cta' });
  });

  it('hot_lead needs pricing within 7 days: 8 days ago is not enough', async () => {
    const v = vid('hot-old');
    await post('/v1/collect', {
      visitorId: v,
      events: [
        { id: eid(), type: 'page_view', at: daysAgo(8), props: { category: 'pricing' } },
        { id: eid(), type: 'download', props: { asset: '/a.pdf' } },
      ],
    });
    await signIn(v, `m-${v}`, SAAS);
    expect((await decide(v)).segment).toBeNull();
  });

  it('consideration: target company with a case study download → experiment arm on hero, cta untouched', async () => {
    const v = vid('cons');
    await decide(v, [{ id: eid(), type: 'download', props: { asset: '/cs.pdf', kind: 'case_study' } }]);
    await signIn(v, `m-${v}`, { industry: 'IT', employees: 500 });
    const body = await decide(v);
    expect(body.segment.key).toBe('consideration');
    expect(body.slots.hero.experiment).toBe('exp_consideration_hero');
    expect(['control', 'case_a', 'case_b']).toContain(body.slots.hero.arm);
    if (body.slots.hero.arm === 'control') expect(body.slots.hero.content).toBeNull();
    else expect(body.slots.hero.content.html.length).toBeGreaterThan(10);
    expect(body.slots.cta).toBeNull();
  });

  it('info_gathering: target company reading the blog', async () => {
    const v = vid('info');
    await signIn(v, `m-${v}`, SAAS);
    const body = await decide(v, [pageView('blog')]);
    expect(body.segment.key).toBe('info_gathering');
    expect(body.slots.hero.variant).toBe('info_gathering_hero');
    expect(body.slots.cta).toBeNull();
  });

  it('page categories come from URL rules when the event has none', async () => {
    const v = vid('url');
    await signIn(v, `m-${v}`, SAAS);
    const res = await post('/v1/decide', {
      visitorId: v,
      url: 'https://www.example.co.jp/blog/dx-tips?utm=x',
      slots: ['hero'],
      events: [{ id: eid(), type: 'page_view', props: {} }],
    });
    expect((await json(res)).segment.key).toBe('info_gathering');
  });

  it.each([
    ['a manufacturer', { industry: 'Manufacturing', employees: 300 }],
    ['a 20-person IT company', { industry: 'IT', employees: 20 }],
    ['a small company of unknown industry', { employees: 10 }],
  ])('non_target: %s gets the newsletter cta', async (_l, traits) => {
    const v = vid('non');
    await signIn(v, `m-${v}`, traits);
    const body = await decide(v);
    expect(body.segment.key).toBe('non_target');
    expect(body.slots).toMatchObject({ hero: null, cta: { variant: 'non_target_cta' } });
  });

  it('unknown traits are not non_target (known-and-not-in semantics)', async () => {
    const v = vid('anon');
    expect((await decide(v)).segment).toBeNull();
  });

  it('dormant: a member back after 120 days is dormant during that visit, not after it', async () => {
    const memberId = `dormant-${vid()}`;
    const old = await post(
      '/v1/server/collect',
      { memberId, events: [{ id: eid(), type: 'email_click', at: daysAgo(120), props: { campaign: 'summer' } }] },
      SERVER,
    );
    expect(old.status).toBe(200);
    const v = vid('back');
    // First the anonymous page view of the returning visit, then sign-in joins the member.
    await decide(v);
    await signIn(v, memberId, { industry: 'IT', employees: 80 });
    const back = await decide(v);
    expect(back.segment.key).toBe('dormant');
    expect(back.slots.hero.variant).toBe('dormant_hero');
    // Still the same visit a few page views later.
    expect((await decide(v)).segment.key).toBe('dormant');
  });

  it('first match wins: hot_lead outranks consideration for a visitor matching both', async () => {
    const v = vid('both');
    await decide(v, [pageView('pricing'), { id: eid(), type: 'download', props: { asset: '/cs.pdf', kind: 'case_study' } }]);
    await signIn(v, `m-${v}`, SAAS);
    expect((await decide(v)).segment.key).toBe('hot_lead');
  });
});
