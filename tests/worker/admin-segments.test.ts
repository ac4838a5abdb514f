import { beforeAll, describe, expect, it } from 'vitest';
import { count, loadDemo, pageView, post, vid } from './helpers';
import { api, configVersion } from './admin-helpers';

beforeAll(loadDemo);

const viewedPricing = {
  match: 'all',
  conditions: [{ type: 'behavior', event: 'page_view', where: { category: 'pricing' }, withinDays: 7, op: 'gte', count: 2 }],
};

describe('segments CRUD', () => {
  it('creates a segment last in order, with id = key', async () => {
    const before = await configVersion();
    const res = await api('POST', '/segments', { key: 'pricing_fans', name: '料金ページ閲覧者', rule: viewedPricing });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: 'pricing_fans', key: 'pricing_fans', priority: 60, enabled: true, description: '' });
    expect((await api('GET', '/segments')).body.segments.at(-1).key).toBe('pricing_fans');
    expect(await configVersion()).not.toBe(before);
  });

  it('refuses a duplicate key with a 409 on the key field', async () => {
    const res = await api('POST', '/segments', { key: 'pricing_fans', name: 'again', rule: viewedPricing });
    expect(res.status).toBe(409);
    expect(res.body.error.issues[0].path).toEqual(['key']);
  });

  it('rejects an invalid rule with the path of the bad field, writing nothing', async () => {
    const before = await configVersion();
    const n = await count('segments');
    const res = await api('POST', '/segments', {
      key: 'bad',
      name: '',
      rule: { match: 'all', conditions: [{ type: 'behavior', event: 'page_view', withinDays: 0 }] },
    });
    expect(res.status).toBe(400);
    const paths = res.body.error.issues.map((i: any) => i.path.join('.'));
    expect(paths).toContain('name');
    expect(paths).toContain('rule.conditions.0.withinDays');
    expect(await count('segments')).toBe(n);
    expect(await configVersion()).toBe(before);
  });

  it('points at the field inside a condition (not just "invalid condition")', async () => {
    const res = await api('POST', '/segments', {
      key: 'bad2',
      name: 'x',
      rule: {
        match: 'all',
        conditions: [
          { type: 'trait', trait: 'industry', op: 'eq', value: 'IT' },
          { type: 'group', match: 'any', conditions: [{ type: 'score', op: 'gte', value: null }] },
        ],
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.issues.map((i: any) => i.path.join('.'))).toEqual(['rule.conditions.1.conditions.0.value']);
  });

  it('edits, disables and re-enables a segment; the key cannot change', async () => {
    const { body: seg } = await api('GET', '/segments/pricing_fans');
    const res = await api('PUT', '/segments/pricing_fans', { ...seg, key: 'renamed', name: 'Pricing fans', enabled: false });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ key: 'pricing_fans', name: 'Pricing fans', enabled: false });
    expect((await api('GET', '/segments/pricing_fans')).body.enabled).toBe(false);
    expect((await api('PUT', '/segments/nope', { name: 'x', rule: viewedPricing })).status).toBe(404);
  });

  it('deletes a segment with its variants; refuses while an experiment runs on it', async () => {
    await api('POST', '/variants', { slot: 'hero', segment: 'pricing_fans', html: '<p>x</p>' });
    expect(await count('variants', 'segment = ?', 'pricing_fans')).toBe(1);
    expect((await api('DELETE', '/segments/pricing_fans')).status).toBe(204);
    expect(await count('variants', 'segment = ?', 'pricing_fans')).toBe(0);
    expect(await count('segments', 'key = ?', 'pricing_fans')).toBe(0);
    expect((await api('DELETE', '/segments/consideration')).status).toBe(409);
  });
});

describe('segment order', () => {
  it('reorders segments, and the resolution follows', async () => {
    // A visitor from a SaaS company of 120 who read the blog and viewed pricing: both
    // info_gathering and a new "pricing_viewer" segment match; the first in order wins.
    await api('POST', '/segments', {
      key: 'any_pricing',
      name: 'Any pricing view',
      rule: { match: 'all', conditions: [{ type: 'behavior', event: 'page_view', where: { category: 'pricing' }, withinDays: 7 }] },
    });
    await api('POST', '/segments', {
      key: 'any_blog',
      name: 'Any blog view',
      rule: { match: 'all', conditions: [{ type: 'behavior', event: 'page_view', where: { category: 'blog' }, withinDays: 7 }] },
    });
    const v = vid('order');
    const first = await post('/v1/decide', { visitorId: v, slots: ['hero'], events: [pageView('pricing'), pageView('blog')] });
    expect(((await first.json()) as any).segment.key).toBe('any_pricing');

    const keys = (await api('GET', '/segments')).body.segments.map((s: any) => s.key);
    const swapped = keys.filter((k: string) => k !== 'any_blog');
    swapped.splice(swapped.indexOf('any_pricing'), 0, 'any_blog');
    const res = await api('PUT', '/segment-order', { keys: swapped });
    expect(res.status).toBe(200);
    expect(res.body.segments.map((s: any) => s.key)).toEqual(swapped);

    const second = await post('/v1/decide', { visitorId: v, slots: ['hero'], events: [] });
    expect(((await second.json()) as any).segment.key).toBe('any_blog');
  });

  it('refuses an order that leaves out or repeats a segment', async () => {
    const before = await configVersion();
    const keys = (await api('GET', '/segments')).body.segments.map((s: any) => s.key);
    expect((await api('PUT', '/segment-order', { keys: keys.slice(1) })).status).toBe(400);
    expect((await api('PUT', '/segment-order', { keys: [...keys.slice(1), keys[1]] })).status).toBe(400);
    expect(await configVersion()).toBe(before);
  });
});

describe('segment preview', () => {
  it('counts who matches a rule now and samples them', async () => {
    for (let i = 0; i < 3; i++) {
      await post('/v1/decide', { visitorId: vid('pv'), slots: ['hero'], events: [pageView('pricing'), pageView('pricing')] });
    }
    await post('/v1/decide', { visitorId: vid('pv'), slots: ['hero'], events: [pageView('blog')] });
    const res = await api('POST', '/segments/preview', { rule: viewedPricing });
    expect(res.status).toBe(200);
    expect(res.body.count).toBeGreaterThanOrEqual(3);
    expect(res.body.total).toBeGreaterThan(res.body.count);
    expect(res.body.sample.length).toBeGreaterThan(0);
    expect(res.body.sample[0]).toMatchObject({ memberId: null, tier: 'cold' });
    expect(res.body.sample[0].visitorId).toEqual(expect.any(String));
  });
  it('rejects an invalid rule', async () => {
    const res = await api('POST', '/segments/preview', { rule: { match: 'some', conditions: [] } });
    expect(res.status).toBe(400);
    expect(res.body.error.issues[0].path).toEqual(['rule', 'match']);
  });
});
