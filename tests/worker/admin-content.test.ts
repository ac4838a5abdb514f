import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { count, eid, loadDemo, pageView, post, vid } from './helpers';
import { api, configVersion } from './admin-helpers';

beforeAll(loadDemo);

describe('variants', () => {
  it('sanitizes HTML on save and reports what was removed', async () => {
    const res = await api('POST', '/variants', {
      slot: 'cta',
      segment: 'dormant',
      name: 'Welcome back CTA',
      html: '<a href="/x" onclick="steal()">Back</a><script>alert(1)</script>',
    });
    expect(res.status).toBe(201);
    expect(res.body.variant.html).not.toMatch(/script|onclick/i);
    expect(res.body.variant.html).toContain('Back');
    expect(res.body.removed.length).toBeGreaterThanOrEqual(2);
    const stored = await env.DB.prepare('SELECT html FROM variants WHERE id = ?').bind(res.body.variant.id).first<{ html: string }>();
    expect(stored?.html).toBe(res.body.variant.html);

    const put = await api('PUT', `/variants/${res.body.variant.id}`, { name: 'x', html: '<img src=x onerror="a()">' });
    expect(put.status).toBe(200);
    expect(put.body.variant.html).not.toContain('onerror');
    expect(put.body.removed.length).toBeGreaterThan(0);
  });

  it('rejects a variant for a missing segment, next to the field, writing nothing', async () => {
    const n = await count('variants');
    const before = await configVersion();
    const res = await api('POST', '/variants', { slot: 'hero', segment: 'ghost', html: '<p>x</p>' });
    expect(res.status).toBe(400);
    expect(res.body.error.issues[0].path).toEqual(['segment']);
    const tooBig = await api('POST', '/variants', { slot: 'hero', segment: 'dormant', html: 'x'.repeat(40_000) });
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.error.issues[0].path).toEqual(['html']);
    expect(await count('variants')).toBe(n);
    expect(await configVersion()).toBe(before);
  });

  it('a new variant is served to its segment', async () => {
    await api('POST', '/segments', {
      key: 'blog_readers',
      name: 'Blog readers',
      priority: 1,
      rule: { match: 'all', conditions: [{ type: 'behavior', event: 'page_view', where: { category: 'blog' }, withinDays: 30 }] },
    });
    await api('POST', '/variants', { slot: 'hero', segment: 'blog_readers', html: '<h2>For blog readers</h2>' });
    const res = await post('/v1/decide', { visitorId: vid('blog'), slots: ['hero'], events: [pageView('blog')] });
    const body = (await res.json()) as any;
    expect(body.segment.key).toBe('blog_readers');
    expect(body.slots.hero.content.html).toBe('<h2>For blog readers</h2>');
  });

  it('refuses to delete a variant that is an arm of a running experiment', async () => {
    expect((await api('DELETE', '/variants/consideration_case_a')).status).toBe(409);
  });
});

describe('experiments', () => {
  const arms = [
    { key: 'control', weight: 0.5, variant: null },
    { key: 'welcome', weight: 0.5, variant: 'dormant_hero' },
  ];

  it('validates arms against the configuration', async () => {
    const n = await count('experiments');
    const base = { name: 'dormant hero', slot: 'hero', segment: 'dormant', goal: { eventType: 'form_inquiry' } };
    const wrongSegment = await api('POST', '/experiments', { ...base, arms: [arms[0], { key: 'b', weight: 1, variant: 'hot_lead_hero' }] });
    expect(wrongSegment.status).toBe(400);
    expect(wrongSegment.body.error.issues[0].path).toEqual(['arms', 1, 'variant']);
    const dupKeys = await api('POST', '/experiments', { ...base, arms: [arms[0], { ...arms[0] }] });
    expect(dupKeys.status).toBe(400);
    expect(dupKeys.body.error.issues[0].path).toEqual(['arms', 1, 'key']);
    const zero = await api('POST', '/experiments', { ...base, arms: arms.map((a) => ({ ...a, weight: 0 })) });
    expect(zero.status).toBe(400);
    const noGoal = await api('POST', '/experiments', { ...base, goal: { eventType: 'conversion' }, arms });
    expect(noGoal.status).toBe(400);
    expect(noGoal.body.error.issues[0].path).toEqual(['goal', 'goal']);
    const controlWithVariant = await api('POST', '/experiments', {
      ...base,
      arms: [{ key: 'control', weight: 1, variant: 'dormant_hero' }],
    });
    expect(controlWithVariant.status).toBe(400);
    expect(await count('experiments')).toBe(n);
  });

  it('creates a draft, starts, pauses and stops it; one running per (slot, segment)', async () => {
    const res = await api('POST', '/experiments', {
      id: 'exp_dormant',
      name: 'dormant hero',
      slot: 'hero',
      segment: 'dormant',
      goal: { eventType: 'conversion', goal: 'signup' },
      arms,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: 'exp_dormant', status: 'draft', startedAt: null });

    const start = await api('POST', '/experiments/exp_dormant/status', { status: 'running' });
    expect(start.status).toBe(200);
    expect(start.body.startedAt).toEqual(expect.any(String));

    // A second experiment on the same (slot, segment) cannot run alongside.
    await api('POST', '/experiments', { id: 'exp_dormant_2', slot: 'hero', segment: 'dormant', goal: { eventType: 'login' }, arms });
    const second = await api('POST', '/experiments/exp_dormant_2/status', { status: 'running' });
    expect(second.status).toBe(409);

    expect((await api('PUT', '/experiments/exp_dormant', { name: 'x', goal: { eventType: 'login' }, arms })).status).toBe(409);
    expect((await api('POST', '/experiments/exp_dormant/status', { status: 'paused' })).body.status).toBe('paused');
    expect((await api('PUT', '/experiments/exp_dormant', { name: 'renamed', goal: { eventType: 'login' }, arms })).body.name).toBe(
      'renamed',
    );
    const stop = await api('POST', '/experiments/exp_dormant/status', { status: 'stopped' });
    expect(stop.body).toMatchObject({ status: 'stopped', stoppedAt: expect.any(String) });
    expect((await api('POST', '/experiments/exp_dormant/status', { status: 'running' })).status).toBe(409);
    expect((await api('POST', '/experiments/exp_dormant/status', { status: 'bogus' })).status).toBe(400);
  });

  it('summarizes visitors and conversions per arm', async () => {
    // Two target-company members who downloaded a case study land in `consideration`.
    const visitors: string[] = [];
    for (let i = 0; i < 4; i++) {
      const v = vid('exp');
      visitors.push(v);
      await post(
        '/v1/server/collect',
        { memberId: `m-exp-${i}`, events: [{ id: eid(), type: 'download', props: { asset: 'a.pdf', kind: 'case_study' } }] },
        { authorization: 'Bearer dev-server-key' },
      );
      await env.DB.prepare(`UPDATE members SET traits = '{"industry":"SaaS","employees":100}' WHERE id = ?`).bind(`m-exp-${i}`).run();
      await env.DB.prepare('INSERT INTO visitors (id, member_id) VALUES (?, ?)').bind(v, `m-exp-${i}`).run();
      await post('/v1/decide', { visitorId: v, slots: ['hero'], events: [pageView()] });
    }
    await post('/v1/collect', { visitorId: visitors[0], events: [{ id: eid(), type: 'form_inquiry', props: { form: 'contact' } }] });
    const res = await api('GET', '/experiments/exp_consideration_hero/results');
    expect(res.status).toBe(200);
    const total = res.body.arms.reduce((s: number, a: any) => s + a.visitors, 0);
    const conversions = res.body.arms.reduce((s: number, a: any) => s + a.conversions, 0);
    expect(total).toBe(4);
    expect(conversions).toBe(1);
    expect(res.body.arms.map((a: any) => a.key)).toEqual(['control', 'case_a', 'case_b']);
    expect(res.body.arms[0].isControl).toBe(true);
    const converted = res.body.arms.find((a: any) => a.conversions === 1);
    expect(converted.cvr).toBeCloseTo(1 / converted.visitors);
  });

  it('deletes a stopped experiment with its exposures; refuses a running one', async () => {
    expect((await api('DELETE', '/experiments/exp_consideration_hero')).status).toBe(409);
    expect((await api('DELETE', '/experiments/exp_dormant')).status).toBe(204);
    expect((await api('GET', '/experiments/exp_dormant')).status).toBe(404);
  });
});

describe('preview as segment', () => {
  it('signs a token, appends it to the URL, and the decide with it writes nothing', async () => {
    const res = await api('POST', '/preview', {
      url: 'https://www.example.co.jp/demo?x=1',
      segment: 'consideration',
      arms: { exp_consideration_hero: 'case_b' },
    });
    expect(res.status).toBe(200);
    const url = new URL(res.body.url);
    expect(url.searchParams.get('x')).toBe('1');
    expect(url.searchParams.get('dw_preview')).toBe(res.body.token);

    const before = { events: await count('events'), exposures: await count('exposures'), visitors: await count('visitors') };
    const v = vid('preview');
    const decide = await post('/v1/decide', { visitorId: v, slots: ['hero'], events: [pageView('pricing')], preview: res.body.token });
    const body = (await decide.json()) as any;
    expect(body.segment.key).toBe('consideration');
    expect(body.slots.hero).toMatchObject({ experiment: 'exp_consideration_hero', arm: 'case_b', variant: 'consideration_case_b' });
    expect({ events: await count('events'), exposures: await count('exposures'), visitors: await count('visitors') }).toEqual(before);
  });

  it('rejects an unknown segment or arm, and a non-http URL', async () => {
    expect((await api('POST', '/preview', { url: 'https://a.example/', segment: 'ghost' })).body.error.issues[0].path).toEqual(['segment']);
    expect(
      (await api('POST', '/preview', { url: 'https://a.example/', segment: null, arms: { exp_consideration_hero: 'zzz' } })).status,
    ).toBe(400);
    expect((await api('POST', '/preview', { url: 'javascript:alert(1)', segment: null })).status).toBe(400);
  });
});

describe('members', () => {
  it('finds members by id prefix, opens members and visitors by id, and explains their segment', async () => {
    const v = vid('mem');
    await post(
      '/v1/server/collect',
      { memberId: 'acme-001', events: [{ id: eid(), type: 'download', props: { asset: 'wp.pdf', kind: 'whitepaper' } }] },
      { authorization: 'Bearer dev-server-key' },
    );
    await env.DB.prepare(`UPDATE members SET traits = '{"industry":"Manufacturing","employees":300}' WHERE id = 'acme-001'`).run();
    await post('/v1/decide', { visitorId: v, slots: ['hero'], events: [pageView('product')] });

    const search = await api('GET', '/members?q=acme');
    expect(search.body.items).toEqual([expect.objectContaining({ id: 'acme-001', score: 30, tier: 'warm', segment: 'non_target' })]);
    expect((await api('GET', '/members?q=%25')).body.items).toEqual([]);
    await post('/v1/server/collect', { memberId: 'acme-0010', events: [pageView()] }, { authorization: 'Bearer dev-server-key' });
    expect((await api('GET', '/members?q=acme-001')).body.items.map((r: { id: string }) => r.id)).toEqual(['acme-001', 'acme-0010']);

    const detail = await api('GET', '/members/acme-001');
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ kind: 'member', memberId: 'acme-001', score: 30, tier: 'warm', segment: { key: 'non_target' } });
    const why = detail.body.explanation.find((e: any) => e.key === 'non_target');
    expect(why.matched).toBe(true);
    expect(why.conditions[0]).toMatchObject({ matched: true, actual: 'Manufacturing' });
    expect(detail.body.events[0]).toMatchObject({ type: 'download', points: 30, scoreAfter: 30 });
    expect(detail.body.events[0].breakdown).toEqual([
      { ruleId: 'download', points: 10 },
      { ruleId: 'download_whitepaper', points: 20 },
    ]);

    const anon = await api('GET', `/members/${v}`);
    expect(anon.body).toMatchObject({ kind: 'visitor', visitorId: v, memberId: null, segment: null });
    expect(anon.body.events).toHaveLength(1);
    expect((await api('GET', '/members/nobody-here')).status).toBe(404);
  });
});
