import { beforeAll, describe, expect, it } from 'vitest';
import { call, count, loadDemo } from './helpers';
import { api, configVersion } from './admin-helpers';

beforeAll(loadDemo);

describe('admin auth', () => {
  it('refuses requests without the admin token', async () => {
    const res = await call('GET', '/api/config');
    expect(res.status).toBe(401);
    expect((await res.json()) as object).toMatchObject({ error: { code: 'unauthorized' } });
  });
  it('refuses a wrong token', async () => {
    const res = await call('GET', '/api/config', undefined, { authorization: 'Bearer nope' });
    expect(res.status).toBe(401);
  });
});

describe('GET /api/config', () => {
  it('returns the whole configuration', async () => {
    const { status, body } = await api('GET', '/config');
    expect(status).toBe(200);
    expect(body.segments.map((s: any) => s.key)).toEqual(['hot_lead', 'consideration', 'dormant', 'info_gathering', 'non_target']);
    expect(body.slots.map((s: any) => s.key).sort()).toEqual(['cta', 'hero']);
    expect(body.scoring.rules.length).toBe(10);
    expect(body.experiments[0].id).toBe('exp_consideration_hero');
  });
});

describe('scoring', () => {
  it('replaces the table atomically and bumps the config version', async () => {
    const before = await configVersion();
    const { body: current } = await api('GET', '/scoring');
    const rules = current.rules.filter((r: any) => r.id !== 'email_open');
    rules.push({ id: 'webinar_watch', eventType: 'video_view', match: {}, points: 7 });
    const put = await api('PUT', '/scoring', { rules, settings: { decayPerDay: 2, hotAt: 90, warmAt: 40 } });
    expect(put.status).toBe(200);
    const { body: after } = await api('GET', '/scoring');
    expect(after.settings).toEqual({ decayPerDay: 2, hotAt: 90, warmAt: 40 });
    expect(after.rules.map((r: any) => r.id)).toEqual(rules.map((r: any) => r.id));
    expect(after.rules.at(-1)).toMatchObject({ id: 'webinar_watch', points: 7, dailyCap: null, enabled: true });
    expect(await configVersion()).not.toBe(before);
  });

  it('rejects warmAt ≥ hotAt with an issue on the field, writing nothing', async () => {
    const before = await configVersion();
    const rulesBefore = await count('scoring_rules');
    const { body: current } = await api('GET', '/scoring');
    const res = await api('PUT', '/scoring', { rules: [], settings: { decayPerDay: 1, hotAt: 30, warmAt: 30 } });
    expect(res.status).toBe(400);
    expect(res.body.error.issues).toContainEqual(expect.objectContaining({ path: ['settings', 'warmAt'] }));
    expect(await count('scoring_rules')).toBe(rulesBefore);
    expect((await api('GET', '/scoring')).body).toEqual(current);
    expect(await configVersion()).toBe(before);
  });

  it('rejects duplicate rule ids and bad points with per-row paths', async () => {
    const res = await api('PUT', '/scoring', {
      rules: [
        { id: 'a', eventType: 'login', points: 1 },
        { id: 'a', eventType: 'login', points: 'ten' },
      ],
      settings: { decayPerDay: 1, hotAt: 80, warmAt: 30 },
    });
    expect(res.status).toBe(400);
    const paths = res.body.error.issues.map((i: any) => i.path.join('.'));
    expect(paths).toContain('rules.1.points');
  });

  it('answers malformed JSON with a JSON 400', async () => {
    const res = await call('PUT', '/api/scoring', '{nope', { authorization: 'Bearer dev-admin-token', 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.code).toBeTruthy();
  });
});

describe('categories', () => {
  it('tests a URL against saved and draft rules', async () => {
    expect((await api('POST', '/categories/test', { url: 'https://example.com/pricing/enterprise?x=1' })).body.category).toBe('pricing');
    const draft = [{ id: 'docs', pattern: '/docs/*', category: 'docs' }];
    expect((await api('POST', '/categories/test', { url: '/docs/setup', rules: draft })).body.category).toBe('docs');
    expect((await api('POST', '/categories/test', { url: '/nowhere' })).body.category).toBeNull();
  });

  it('replaces the rules; an invalid category writes nothing', async () => {
    const { body } = await api('GET', '/categories');
    const bad = await api('PUT', '/categories', { rules: [...body.rules, { id: 'x', pattern: '/x*', category: 'Not A Slug' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0].path).toEqual(['rules', body.rules.length, 'category']);
    expect((await api('GET', '/categories')).body.rules).toEqual(body.rules);

    const ok = await api('PUT', '/categories', {
      rules: [...body.rules, { id: 'docs', pattern: '/docs/*', category: 'docs', priority: 1 }],
    });
    expect(ok.status).toBe(200);
    expect((await api('POST', '/categories/test', { url: '/docs/a' })).body.category).toBe('docs');
  });
});

describe('slots', () => {
  it('creates, renames and deletes a slot (with its variants)', async () => {
    expect((await api('POST', '/slots', { key: 'sidebar', name: 'Sidebar' })).status).toBe(201);
    expect((await api('POST', '/slots', { key: 'sidebar' })).status).toBe(409);
    expect((await api('PUT', '/slots/sidebar', { name: 'Side' })).body).toEqual({ key: 'sidebar', name: 'Side' });
    expect((await api('POST', '/variants', { slot: 'sidebar', segment: 'dormant', html: '<p>hi</p>' })).status).toBe(201);
    expect(await count('variants', 'slot = ?', 'sidebar')).toBe(1);
    expect((await api('DELETE', '/slots/sidebar')).status).toBe(204);
    expect(await count('variants', 'slot = ?', 'sidebar')).toBe(0);
    expect((await api('DELETE', '/slots/sidebar')).status).toBe(404);
  });
  it('refuses to delete a slot with a running experiment', async () => {
    expect((await api('DELETE', '/slots/hero')).status).toBe(409);
  });
});
