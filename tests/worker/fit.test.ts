/**
 * Fit points through the worker and D1: saved with the scoring (atomically, invalid input
 * refused with nothing written), shown beside the score wherever a score is shown (visitor
 * summary, member page, member list, live preview), tested by segments, tiers untouched.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { call, count, loadDemo, post, SERVER, signIn, vid, pageView, visitor } from './helpers';
import { api, configVersion } from './admin-helpers';

beforeAll(loadDemo);

const FIT = [
  { id: 'exec', trait: 'level', op: 'in', value: ['executive', 'manager'], points: 15, enabled: true },
  { id: 'target_industry', trait: 'industry', op: 'in', value: ['IT', 'SaaS'], points: 10, enabled: true },
];

async function putTraits(id: string, traits: Record<string, unknown>) {
  expect((await call('PUT', `/v1/server/members/${id}`, { traits }, { ...SERVER, 'content-type': 'application/json' })).status).toBe(200);
}

describe('fit points', () => {
  it('are saved with the scoring and read back; a PUT without fit keeps them', async () => {
    const { body: current } = await api('GET', '/scoring');
    expect(current.fit).toEqual([]);
    const put = await api('PUT', '/scoring', { ...current, fit: FIT });
    expect(put.status).toBe(200);
    expect(put.body.fit).toEqual(FIT);
    const again = await api('PUT', '/scoring', { rules: current.rules, settings: current.settings });
    expect(again.status).toBe(200);
    expect((await api('GET', '/scoring')).body.fit).toEqual(FIT);
    expect((await api('GET', '/config')).body.scoring.fit).toEqual(FIT);
  });

  it('refuses an invalid fit rule on its field, writing nothing', async () => {
    const before = await configVersion();
    const rows = await count('scoring_rules');
    const { body: current } = await api('GET', '/scoring');
    const paths = async (fit: unknown[]) => {
      const res = await api('PUT', '/scoring', { ...current, rules: [], fit });
      expect(res.status).toBe(400);
      return res.body.error.issues.map((i: { path: unknown[] }) => i.path.join('.'));
    };
    expect(await paths([...FIT, { id: 'bad', trait: 'role', op: 'eq', value: 'CTO', points: 2.5 }])).toEqual(['fit.2.points']);
    expect(await paths([...FIT, { ...FIT[0] }])).toEqual(['fit.2.id']);
    expect(await configVersion()).toBe(before);
    expect(await count('scoring_rules')).toBe(rows);
    expect((await api('GET', '/scoring')).body.fit).toEqual(FIT);
  });

  it('is shown beside the score: visitor summary, member page with reasons, member list', async () => {
    const v = vid('fit');
    await post('/v1/decide', { visitorId: v, slots: ['hero'], events: [pageView('pricing')] });
    const rotated = await signIn(v, 'fit-member', { level: 'manager', industry: 'SaaS', employees: 120 });
    const summary = await visitor(rotated);
    expect(summary).toMatchObject({ memberId: 'fit-member', score: 4, fit: 25, tier: 'cold' });

    const detail = (await api('GET', '/members/fit-member')).body;
    expect([detail.score, detail.fit, detail.tier]).toEqual([4, 25, 'cold']);
    expect(detail.fitReasons).toEqual([
      { ruleId: 'exec', trait: 'level', points: 15 },
      { ruleId: 'target_industry', trait: 'industry', points: 10 },
    ]);

    const list = (await api('GET', '/members?q=fit-member')).body;
    expect(list.items.find((m: { id: string }) => m.id === 'fit-member')).toMatchObject({ score: 4, fit: 25 });
  });

  it('follows the traits as they change (no stale stored value)', async () => {
    await putTraits('fit-member', { level: 'staff', industry: 'SaaS' });
    expect((await api('GET', '/members/fit-member')).body.fit).toBe(10);
    await putTraits('fit-member', { level: 'manager', industry: 'SaaS', employees: 120 });
  });

  it('is tested by segments on the hot path and in the live preview', async () => {
    const rule = { match: 'all', conditions: [{ type: 'fit', op: 'gte', value: 25 }] };
    expect((await api('POST', '/segments', { key: 'decision_makers', name: '決裁者', priority: 1, rule })).status).toBe(201);
    const res = await post('/v1/server/collect', { memberId: 'fit-member', events: [{ id: 'fit-login-1', type: 'login' }] }, SERVER);
    expect((await res.json<{ segment: string }>()).segment).toBe('decision_makers');
    const preview = await api('POST', '/segments/preview', { rule });
    expect(preview.body.count).toBe(1);
    expect(preview.body.sample[0]).toMatchObject({ memberId: 'fit-member', fit: 25 });
  });
});
