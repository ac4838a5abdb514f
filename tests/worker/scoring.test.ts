/**
 * docs/api.md#scoring through the real worker and D1: each scoring row, lazy decay and tiers.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { daysAgo, eid, json, loadDemo, post, vid, visitor } from './helpers';

beforeAll(loadDemo);

const rows: [string, { type: string; props?: Record<string, unknown> }, number][] = [
  ['page_view', { type: 'page_view' }, 1],
  ['page_view category product', { type: 'page_view', props: { category: 'product' } }, 4],
  ['page_view category pricing', { type: 'page_view', props: { category: 'pricing' } }, 4],
  ['page_view category blog (no bonus)', { type: 'page_view', props: { category: 'blog' } }, 1],
  ['download', { type: 'download', props: { asset: '/files/a.pdf' } }, 10],
  ['download kind whitepaper', { type: 'download', props: { asset: '/files/wp.pdf', kind: 'whitepaper' } }, 30],
  ['download kind case_study (no bonus)', { type: 'download', props: { asset: '/files/cs.pdf', kind: 'case_study' } }, 10],
  ['email_open', { type: 'email_open', props: { campaign: 'nov' } }, 3],
  ['email_click', { type: 'email_click', props: { campaign: 'nov' } }, 5],
  ['seminar_signup', { type: 'seminar_signup', props: { seminar: 'dx-2026' } }, 20],
  ['seminar_attend', { type: 'seminar_attend', props: { seminar: 'dx-2026' } }, 30],
  ['form_inquiry', { type: 'form_inquiry', props: { form: 'contact' } }, 50],
  ['login (no rule)', { type: 'login' }, 0],
  ['video_view (no rule)', { type: 'video_view', props: { video: 'intro' } }, 0],
];

describe('scoring table, row by row', () => {
  it.each(rows)('%s scores %i', async (_label, event, points) => {
    const v = vid('score');
    const res = await post('/v1/collect', { visitorId: v, events: [{ id: eid(), ...event }] });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ accepted: 1, duplicates: 0, rejected: [] });
    expect((await visitor(v)).score).toBe(points);
  });
});

describe('decay', () => {
  it.each([
    ['no time passed', 0, 50],
    ['one full day', 1, 49],
    ['ten days', 10, 40],
    ['29 days', 29, 21],
  ])('an inquiry %s ago is worth %i now', async (_l, days, expected) => {
    const v = vid('decay');
    await post('/v1/collect', { visitorId: v, events: [{ id: eid(), type: 'form_inquiry', at: daysAgo(days), props: { form: 'c' } }] });
    expect((await visitor(v)).score).toBe(expected);
  });

  it('never goes below zero and a new event adds to the decayed score', async () => {
    const v = vid('floor');
    await post('/v1/collect', {
      visitorId: v,
      events: [
        { id: eid(), type: 'download', at: daysAgo(25), props: { asset: 'x' } },
        { id: eid(), type: 'page_view', props: {} },
      ],
    });
    // 10 points decayed over 25 days → 0, then +1 for today's page view.
    expect((await visitor(v)).score).toBe(1);
  });
});

describe('tiers', () => {
  const seminar = (n: number) => ({ id: eid(), type: 'seminar_signup', props: { seminar: `s${n}` } });
  it.each([
    [
      'cold at 29',
      [
        { type: 'seminar_signup', n: 1 },
        { type: 'page_view', n: 9 },
      ],
      29,
      'cold',
    ],
    [
      'warm at 30',
      [
        { type: 'seminar_signup', n: 1 },
        { type: 'page_view', n: 10 },
      ],
      30,
      'warm',
    ],
    [
      'warm at 79',
      [
        { type: 'form_inquiry', n: 1 },
        { type: 'seminar_signup', n: 1 },
        { type: 'page_view', n: 9 },
      ],
      79,
      'warm',
    ],
    [
      'hot at 80',
      [
        { type: 'form_inquiry', n: 1 },
        { type: 'seminar_signup', n: 1 },
        { type: 'page_view', n: 10 },
      ],
      80,
      'hot',
    ],
  ])('%s', async (_l, plan, score, tier) => {
    const v = vid('tier');
    const events = plan.flatMap(({ type, n }) =>
      Array.from({ length: n }, (_, i) =>
        type === 'seminar_signup'
          ? seminar(i)
          : type === 'form_inquiry'
            ? { id: eid(), type, props: { form: 'c' } }
            : { id: eid(), type, props: {} },
      ),
    );
    await post('/v1/collect', { visitorId: v, events });
    expect(await visitor(v)).toMatchObject({ score, tier });
  });
});
