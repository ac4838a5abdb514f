/**
 * Events in: idempotent retries, partial batches, time limits, stickiness and exposures,
 * anonymous history joining a member, and concurrent requests for one visitor.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { SERVER, call, count, daysAgo, eid, identifyToken, json, loadDemo, pageView, post, vid, visitor } from './helpers';

beforeAll(loadDemo);

describe('idempotent retries', () => {
  it('resending the same events never double-scores or double-stores', async () => {
    const v = vid('retry');
    const events = [
      { id: eid(), type: 'download', props: { asset: '/a.pdf', kind: 'whitepaper' } },
      { id: eid(), type: 'page_view', props: { category: 'pricing' } },
    ];
    const first = await json(await post('/v1/collect', { visitorId: v, events }));
    expect(first).toMatchObject({ accepted: 2, duplicates: 0 });
    const again = await json(await post('/v1/collect', { visitorId: v, events }));
    expect(again).toMatchObject({ accepted: 0, duplicates: 2 });
    // The snippet resends undelivered events with the next decide: still counted once.
    await post('/v1/decide', { visitorId: v, slots: ['hero'], events });
    expect((await visitor(v)).score).toBe(34);
    expect(await count('events', 'visitor_id = ?', v)).toBe(2);
  });

  it('the same id twice inside one batch counts once', async () => {
    const v = vid('twice');
    const e = { id: eid(), type: 'form_inquiry', props: { form: 'c' } };
    expect(await json(await post('/v1/collect', { visitorId: v, events: [e, e] }))).toMatchObject({ accepted: 1, duplicates: 1 });
    expect((await visitor(v)).score).toBe(50);
  });
});

describe('partial batches', () => {
  it('a bad event is rejected alone and the good ones are stored', async () => {
    const v = vid('partial');
    const good = [pageView(), { id: eid(), type: 'seminar_signup', props: { seminar: 'dx' } }];
    const res = await post('/v1/collect', {
      visitorId: v,
      events: [
        good[0],
        { id: 'x', type: 'page_view' },
        good[1],
        { id: eid(), type: 'teleport' },
        { id: eid(), type: 'download', props: {} },
      ],
    });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.accepted).toBe(2);
    expect(body.rejected.map((r: { index: number }) => r.index)).toEqual([1, 3, 4]);
    expect(body.rejected[2].error).toContain('asset');
    expect(await count('events', 'visitor_id = ?', v)).toBe(2);
    expect((await visitor(v)).score).toBe(21);
  });

  it('browser events older than 30 days or more than 5 minutes ahead are rejected; slight skew is clamped', async () => {
    const v = vid('time');
    const ahead = new Date(Date.now() + 10 * 60_000).toISOString();
    const skew = new Date(Date.now() + 60_000).toISOString();
    const body = await json(
      await post('/v1/collect', {
        visitorId: v,
        events: [
          { id: eid(), type: 'page_view', at: daysAgo(31) },
          { id: eid(), type: 'page_view', at: ahead },
          { id: eid(), type: 'page_view', at: skew },
        ],
      }),
    );
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((r: { index: number }) => r.index)).toEqual([0, 1]);
    const stored = await env.DB.prepare('SELECT at FROM events WHERE visitor_id = ?').bind(v).first<{ at: number }>();
    expect(stored!.at).toBeLessThanOrEqual(Date.now());
  });

  it('server events may be far in the past, up to the event retention horizon', async () => {
    const memberId = `srv-${vid()}`;
    const body = await json(
      await post(
        '/v1/server/collect',
        { memberId, events: [{ id: eid(), type: 'seminar_attend', at: daysAgo(399), props: { seminar: 'old' } }] },
        SERVER,
      ),
    );
    expect(body).toMatchObject({ accepted: 1, rejected: [] });
  });
});

describe('experiments: sticky arms and exposures', () => {
  it('a visitor keeps its arm across decides and is exposed once', async () => {
    const v = vid('sticky');
    await post('/v1/decide', {
      visitorId: v,
      slots: ['hero'],
      events: [{ id: eid(), type: 'download', props: { asset: 'cs', kind: 'case_study' } }],
    });
    await post('/v1/identify', { visitorId: v, token: await identifyToken(`m-${v}`, { industry: 'SaaS', employees: 60 }) });
    const arms = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const body = await json(await post('/v1/decide', { visitorId: v, slots: ['hero'], events: [pageView()] }));
      arms.add(body.slots.hero.arm);
    }
    expect(arms.size).toBe(1);
    expect(await count('exposures', 'visitor_id = ?', v)).toBe(1);
    const row = await env.DB.prepare('SELECT arm, segment, member_id FROM exposures WHERE visitor_id = ?').bind(v).first();
    expect(row).toEqual({ arm: [...arms][0], segment: 'consideration', member_id: `m-${v}` });
  });

  it('a goal event after exposure converts once; one before exposure does not', async () => {
    const before = vid('conv-before');
    const after = vid('conv-after');
    for (const v of [before, after]) {
      await post('/v1/collect', { visitorId: v, events: [{ id: eid(), type: 'download', props: { asset: 'cs', kind: 'case_study' } }] });
      await post('/v1/identify', { visitorId: v, token: await identifyToken(`m-${v}`, { industry: 'IT', employees: 70 }) });
    }
    // `before` inquired before ever seeing the experiment, then sees it.
    await post('/v1/collect', { visitorId: before, events: [{ id: eid(), type: 'form_inquiry', props: { form: 'c' } }] });
    await post('/v1/decide', { visitorId: before, slots: ['hero'], events: [pageView()] });
    await post('/v1/decide', { visitorId: after, slots: ['hero'], events: [pageView()] });
    await post('/v1/collect', { visitorId: after, events: [{ id: eid(), type: 'form_inquiry', props: { form: 'c' } }] });
    await post('/v1/collect', { visitorId: after, events: [{ id: eid(), type: 'form_inquiry', props: { form: 'again' } }] });
    expect(await count('conversions', 'visitor_id = ?', before)).toBe(0);
    expect(await count('conversions', 'visitor_id = ?', after)).toBe(1);
    const exposure = await env.DB.prepare('SELECT arm FROM exposures WHERE visitor_id = ?').bind(after).first<{ arm: string }>();
    const conversion = await env.DB.prepare('SELECT arm FROM conversions WHERE visitor_id = ?').bind(after).first<{ arm: string }>();
    expect(conversion!.arm).toBe(exposure!.arm);
  });

  it('a server-side goal event for the member credits the visitor that was exposed', async () => {
    const v = vid('srv-conv');
    const memberId = `m-${v}`;
    await post('/v1/collect', { visitorId: v, events: [{ id: eid(), type: 'download', props: { asset: 'cs', kind: 'case_study' } }] });
    await post('/v1/identify', { visitorId: v, token: await identifyToken(memberId, { industry: 'IT', employees: 70 }) });
    await post('/v1/decide', { visitorId: v, slots: ['hero'], events: [pageView()] });
    await post('/v1/server/collect', { memberId, events: [{ id: eid(), type: 'form_inquiry', props: { form: 'phone' } }] }, SERVER);
    expect(await count('conversions', 'visitor_id = ? AND member_id = ?', v, memberId)).toBe(1);
  });
});

describe('identify', () => {
  it('joins the anonymous history into the member profile, once', async () => {
    const memberId = `join-${vid()}`;
    await post('/v1/server/collect', { memberId, events: [{ id: eid(), type: 'seminar_attend', props: { seminar: 'x' } }] }, SERVER);
    const v = vid('join');
    await post('/v1/collect', { visitorId: v, events: [{ id: eid(), type: 'download', props: { asset: 'a', kind: 'whitepaper' } }] });
    const res = await post('/v1/identify', {
      visitorId: v,
      token: await identifyToken(memberId, { industry: 'SaaS', employees: 200, plan: 'pro' }),
    });
    const body = await json(res);
    expect(body).toEqual({ memberId, segment: null, visitorId: expect.any(String) });
    const rotated: string = body.visitorId;
    expect(await visitor(rotated)).toMatchObject({
      memberId,
      score: 60,
      tier: 'warm',
      traits: { industry: 'SaaS', employees: 200, plan: 'pro' },
    });
    expect(await count('events', 'visitor_id = ? AND member_id = ?', v, memberId)).toBe(1);
    // A second identify (e.g. another page load) must not add the history again.
    await post('/v1/identify', { visitorId: rotated, token: await identifyToken(memberId, { industry: 'SaaS', employees: 200 }) });
    expect((await visitor(rotated)).score).toBe(60);
    // A second browser of the same member shares the member's profile.
    const other = vid('join2');
    await post('/v1/identify', { visitorId: other, token: await identifyToken(memberId, {}) });
    expect((await visitor(other)).score).toBe(60);
  });

  it.each([
    ['expired', async () => identifyToken('m-x', {}, -3600)],
    ['forged', async () => identifyToken('m-x', {}, 600, 'not-the-secret')],
    ['malformed', async () => 'abc.def'],
    ['alg none', async () => `${btoa('{"alg":"none"}')}.${btoa('{"sub":"m-x","exp":9999999999}')}.`],
  ])('a %s token → 401 and nothing changes', async (_l, make) => {
    const v = vid('bad-token');
    await post('/v1/collect', { visitorId: v, events: [pageView()] });
    const before = await visitor(v);
    const res = await post('/v1/identify', { visitorId: v, token: await make() });
    expect(res.status).toBe(401);
    expect((await json(res)).error.code).toBe('invalid_token');
    expect(await visitor(v)).toEqual(before);
    expect(await count('members', 'id = ?', 'm-x')).toBe(0);
  });
});

describe('concurrency', () => {
  it('parallel requests for one visitor lose no points', async () => {
    const v = vid('race');
    await Promise.all(
      Array.from({ length: 8 }, () =>
        post('/v1/collect', { visitorId: v, events: [{ id: eid(), type: 'download', props: { asset: 'a' } }] }),
      ),
    );
    // 8 downloads × 10 points, but the download rule is capped at 30 a day.
    expect((await visitor(v)).score).toBe(30);
    expect(await count('events', 'visitor_id = ?', v)).toBe(8);
    await Promise.all(Array.from({ length: 6 }, () => post('/v1/collect', { visitorId: v, events: [pageView()] })));
    expect((await visitor(v)).score).toBe(36);
  });
});

describe('server traits', () => {
  it('PUT upserts and merges traits', async () => {
    const id = `crm-${vid()}`;
    expect((await call('PUT', `/v1/server/members/${id}`, { traits: { industry: 'IT' } }, SERVER)).status).toBe(200);
    const res = await call('PUT', `/v1/server/members/${id}`, { traits: { employees: 90 } }, SERVER);
    expect(await json(res)).toEqual({ memberId: id, traits: { industry: 'IT', employees: 90 } });
  });
});

describe('identify racing the page-load decide', () => {
  it('no event of either request is lost or counted twice', async () => {
    for (let round = 0; round < 5; round++) {
      const v = vid(`race-id-${round}`);
      const memberId = `race-member-${v}`;
      await post('/v1/collect', { visitorId: v, events: [{ id: eid(), type: 'download', props: { asset: 'a', kind: 'whitepaper' } }] });
      const token = await identifyToken(memberId, { industry: 'IT', employees: 70 });
      // The snippet's decide and the site's identify leave the browser at the same moment.
      await Promise.all([
        post('/v1/decide', { visitorId: v, slots: ['hero'], events: [pageView('pricing'), pageView()] }),
        post('/v1/identify', { visitorId: v, token }),
        post('/v1/collect', { visitorId: v, events: [{ id: eid(), type: 'seminar_signup', props: { seminar: 'dx' } }] }),
      ]);
      // 30 (whitepaper) + 4 (pricing) + 1 (page) + 20 (seminar), all on the member now.
      expect(await visitor(v)).toMatchObject({ memberId, score: 55 });
      expect(await count('events', 'visitor_id = ?', v)).toBe(4);
    }
  });
});
