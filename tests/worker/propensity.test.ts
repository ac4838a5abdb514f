/**
 * Propensity models through the worker and D1, on members with a planted signal (members who
 * look at pricing inquire far more often): trained with a time-split holdout, judged usable,
 * stored as data, tested by a segment on the hot path, explained on the member page; too few
 * converters says so; bad input writes nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { call, count, eid, loadDemo, post, SERVER } from './helpers';
import { api, configVersion } from './admin-helpers';

const DAY = 86_400_000;
const N = 14;
// Cut-offs as the service computes them: Tokyo midnight today, minus N and 2N days.
const tokyoMidnight = (() => {
  const off = 9 * 3_600_000;
  return Math.floor((Date.now() + off) / DAY) * DAY - off;
})();
const T2 = tokyoMidnight - N * DAY;
const T1 = T2 - N * DAY;
const at = (ms: number) => new Date(ms).toISOString();

beforeAll(async () => {
  await loadDemo();
  for (let i = 0; i < 120; i++) {
    const engaged = i % 2 === 0;
    const id = `p-${String(i).padStart(3, '0')}`;
    const events: { type: string; at: string; props: Record<string, unknown> }[] = [];
    const view = (category: string, t: number) => events.push({ type: 'page_view', at: at(t), props: { category } });
    if (engaged) {
      for (let k = 0; k < 3; k++) view('pricing', T1 - (3 + k) * DAY);
      view('pricing', T2 - 2 * DAY);
    } else {
      view('blog', T1 - 4 * DAY);
      view('blog', T2 - 3 * DAY);
    }
    if ((engaged && i % 3 !== 0) || (!engaged && i % 15 === 1))
      events.push({ type: 'form_inquiry', at: at(T1 + 5 * DAY), props: { form: 'contact' } });
    if ((engaged && i % 3 !== 1) || (!engaged && i % 15 === 2))
      events.push({ type: 'form_inquiry', at: at(T2 + 3 * DAY), props: { form: 'contact' } });
    const put = await call(
      'PUT',
      `/v1/server/members/${id}`,
      { traits: { industry: i % 5 ? 'SaaS' : 'IT' } },
      { ...SERVER, 'content-type': 'application/json' },
    );
    expect(put.status).toBe(200);
    const res = await post('/v1/server/collect', { memberId: id, events: events.map((e) => ({ id: eid(), ...e })) }, SERVER);
    expect(res.status).toBe(200);
  }
});

describe('training a propensity model', () => {
  let model: any;

  it('trains on a time-split holdout and finds the planted signal', async () => {
    const res = await api('POST', '/models', { key: 'inquiry', name: '問い合わせ見込み', event: 'form_inquiry', days: N });
    expect(res.status).toBe(201);
    model = res.body;
    expect(model.metrics.train).toEqual({ rows: 120, positives: 44, cutoff: at(T1) });
    expect(model.metrics.holdout).toEqual({ rows: 120, positives: 44, cutoff: at(T2) });
    expect(model.metrics.auc.auc).toBeGreaterThan(0.75);
    expect(model.metrics.auc.ci[0]).toBeGreaterThan(0.5);
    expect(model.metrics.lift.lift).toBeGreaterThan(1.5);
    expect(model.verdict).toEqual({ status: 'usable' });
    // Coefficients are data: one weight per feature, and pricing views weigh most.
    expect(model.coefficients.weights).toHaveLength(model.features.length);
    const weight = (key: string) =>
      model.coefficients.weights[model.features.findIndex((f: any) => f.kind === 'count' && f.key === key && f.days === 30)];
    expect(weight('page_view.category=pricing')).toBeGreaterThan(0);
    expect(weight('page_view.category=blog')).toBeLessThan(0);
    expect((await api('GET', '/models/inquiry')).body).toEqual(model);
  });

  it('says when there is not enough data', async () => {
    const res = await api('POST', '/models', { key: 'attend', name: 'Seminar', event: 'seminar_attend', days: N });
    expect(res.status).toBe(201);
    expect(res.body.verdict).toEqual({ status: 'not_enough_data', positives: 0, need: 20 });
    expect(res.body.metrics.auc).toBeNull();
  });

  it('refuses a bad request on its field and stores nothing', async () => {
    const before = await configVersion();
    const n = await count('propensity_models');
    const res = await api('POST', '/models', { key: 'Bad Key', name: '', event: 'form_inquiry', days: 3 });
    expect(res.status).toBe(400);
    expect(res.body.error.issues.map((i: any) => i.path.join('.')).sort()).toEqual(['days', 'key', 'name']);
    expect(await count('propensity_models')).toBe(n);
    expect(await configVersion()).toBe(before);
  });

  it('ranks members now, each with a probability and three factors', async () => {
    const res = await api('GET', '/models/inquiry/members?limit=5');
    expect(res.status).toBe(200);
    const top = res.body.members;
    expect(top).toHaveLength(5);
    for (let i = 1; i < top.length; i++) expect(top[i - 1].probability).toBeGreaterThanOrEqual(top[i].probability);
    expect(Number(top[0].memberId.slice(2)) % 2).toBe(0);
    expect(top[0].factors).toHaveLength(3);
    const refused = await api('GET', '/models/inquiry/members?limit=0');
    expect(refused.status).toBe(400);
    expect(refused.body.error.issues.map((i: any) => i.path.join('.'))).toEqual(['limit']);
  });

  it('a segment tests the likelihood on the hot path, and the member page explains it', async () => {
    const rule = { match: 'all', conditions: [{ type: 'propensity', model: 'inquiry', op: 'gte', value: 0.5 }] };
    expect((await api('POST', '/segments', { key: 'likely_inquiry', name: '問い合わせ見込み高', priority: 1, rule })).status).toBe(201);
    // The hot path decides with the profile after the event; the member page then agrees with it.
    const res = await post('/v1/server/collect', { memberId: 'p-004', events: [{ id: eid(), type: 'login' }] }, SERVER);
    const decided = (await res.json<{ segment: string | null }>()).segment;
    const detail = (await api('GET', '/members/p-004')).body;
    const p = detail.propensity.find((x: any) => x.model === 'inquiry');
    expect(p).toMatchObject({ usable: true, event: 'form_inquiry', days: N });
    expect(p.factors).toHaveLength(3);
    expect(detail.segment?.key ?? null).toBe(decided);
    expect(decided === 'likely_inquiry').toBe(p.probability >= 0.5);
    const why = detail.explanation.find((e: any) => e.key === 'likely_inquiry').conditions[0];
    expect(why.actual).toBe(Math.round(p.probability * 1e4) / 1e4);
    // The live count agrees with the ranking: everyone at 50 % or more.
    const ranked = (await api('GET', '/models/inquiry/members?limit=200')).body.members;
    const likely = ranked.filter((m: any) => m.probability >= 0.5).length;
    expect(likely).toBeGreaterThan(0);
    expect((await api('POST', '/segments/preview', { rule })).body.count).toBe(likely);
  });

  it('cannot be deleted while a segment tests it', async () => {
    expect((await api('DELETE', '/models/inquiry')).status).toBe(409);
    expect((await api('DELETE', '/models/attend')).status).toBe(204);
    expect((await api('GET', '/models/attend')).status).toBe(404);
  });
});
