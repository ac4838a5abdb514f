/**
 * Trend and exclusion conditions through the real worker and D1: saved by the admin API,
 * compiled into the hot path (a member whose logins halved lands in the churn segment on their
 * next request), counted by the live preview, and explained on the member page.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { call, daysAgo, eid, loadDemo, post, SERVER } from './helpers';
import { api } from './admin-helpers';

beforeAll(loadDemo);

const churnRule = {
  match: 'all',
  conditions: [
    { type: 'trend', event: 'login', days: 30, op: 'lte', ratio: 0.5, minPrevious: 2 },
    { type: 'group', match: 'none', conditions: [{ type: 'trait', trait: 'phase', op: 'eq', value: 'competitor_user' }] },
  ],
};

/** Logins `n` times, `from` days ago onwards, one a day, as the site's server reports them. */
const logins = (n: number, from: number) =>
  Array.from({ length: n }, (_, i) => ({ id: eid('login'), type: 'login', at: daysAgo(from - i) }));

async function member(id: string, traits: Record<string, unknown>, events: unknown[]) {
  expect((await call('PUT', `/v1/server/members/${id}`, { traits }, { ...SERVER, 'content-type': 'application/json' })).status).toBe(200);
  expect((await post('/v1/server/collect', { memberId: id, events }, SERVER)).status).toBe(200);
}

describe('a churn segment (seed 003: logins this month at most half of last month)', () => {
  it('is saved with its trend and exclusion, first in priority', async () => {
    const res = await api('POST', '/segments', { key: 'churn_risk', name: '離反予兆', priority: 1, rule: churnRule });
    expect(res.status).toBe(201);
    expect(res.body.rule.conditions[0]).toEqual({
      type: 'trend',
      event: 'login',
      where: {},
      days: 30,
      op: 'lte',
      ratio: 0.5,
      minPrevious: 2,
    });
    expect(res.body.rule.conditions[1].match).toBe('none');
  });

  it('refuses a trend without a period, naming the field, and saves nothing', async () => {
    const res = await api('POST', '/segments', {
      key: 'bad_trend',
      name: 'x',
      rule: { match: 'none', conditions: [{ type: 'trend', event: 'login', op: 'lte', ratio: 0.5 }] },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.issues.map((i: { path: unknown[] }) => i.path.join('.'))).toContain('rule.conditions.0.days');
    expect((await api('GET', '/segments/bad_trend')).status).toBe(404);
  });

  it('places members by their change: halved logins in, steady users and competitors out', async () => {
    await member('churn-a', { industry: 'SaaS' }, [...logins(10, 50), ...logins(2, 10)]);
    await member('steady-b', { industry: 'SaaS' }, [...logins(10, 50), ...logins(10, 20)]);
    await member('rival-c', { phase: 'competitor_user' }, [...logins(10, 50), ...logins(1, 10)]);
    const segmentOf = async (id: string) => (await api('GET', `/members/${id}`)).body.segment?.key ?? null;
    expect(await segmentOf('churn-a')).toBe('churn_risk');
    expect(await segmentOf('steady-b')).not.toBe('churn_risk');
    expect(await segmentOf('rival-c')).not.toBe('churn_risk');
  });

  it('counts them live in the rule builder preview', async () => {
    const res = await api('POST', '/segments/preview', { rule: churnRule });
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(1);
    expect(res.body.sample.map((s: { memberId: string }) => s.memberId)).toEqual(['churn-a']);
    const without = await api('POST', '/segments/preview', { rule: { match: 'all', conditions: [churnRule.conditions[0]] } });
    expect(without.body.count).toBe(2);
  });

  it('explains the trend with both periods on the member page', async () => {
    const res = await api('GET', '/members/churn-a');
    const churn = res.body.explanation.find((s: { key: string }) => s.key === 'churn_risk');
    expect(churn.matched).toBe(true);
    expect(churn.conditions[0]).toMatchObject({ matched: true, actual: 0.2, counts: { current: 2, previous: 10 } });
    expect(churn.conditions[1]).toMatchObject({ matched: true, children: [{ matched: false, actual: null }] });
  });
});
