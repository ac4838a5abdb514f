/**
 * The change log through the real worker and a local D1: every admin write of every entity is
 * logged in its own batch (who, when, before/after), the list filters and pages, and a restore
 * puts the earlier version back — itself logged — or is refused with a coded 409 that writes
 * nothing.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, configVersion, history, type LoggedChange as Change } from './admin-helpers';
import { changeEntities } from '../../worker/schema/changes';
import { count, identifyToken, loadDemo, pageView, post, vid } from './helpers';
import { hookUrl } from './receiver/client';

beforeAll(loadDemo);

async function latest(entity: string, entityId: string): Promise<Change> {
  const [first] = await history(entity, entityId);
  expect(first, `${entity} ${entityId} has a change`).toBeDefined();
  return first!;
}

async function restore(id: string) {
  return api<{ change: Change; secret?: string } & { error?: { code: string; params?: Record<string, unknown> } }>(
    'POST',
    `/changes/${id}/restore`,
  );
}

/** A refusal writes nothing: no log entry, no configuration version. */
async function expectRefused(id: string, code: string, params?: Record<string, unknown>) {
  const before = { changes: await count('changes'), version: await configVersion() };
  const res = await restore(id);
  expect(res.status).toBe(409);
  expect(res.body.error?.code).toBe(code);
  if (params) expect(res.body.error?.params).toMatchObject(params);
  expect(await count('changes')).toBe(before.changes);
  expect(await configVersion()).toBe(before.version);
}

const rule = { match: 'all', conditions: [{ type: 'score', op: 'gte', value: 50 }] };

describe('every admin write is logged, with its actor', () => {
  it('segments: create, edit, reorder, delete (with the content that goes with it)', async () => {
    const created = await api('POST', '/segments', { key: 'webinar_fans', name: 'ウェビナー好き', description: '', enabled: true, rule });
    expect(created.status).toBe(201);
    let entry = await latest('segment', 'webinar_fans');
    expect(entry).toMatchObject({
      actor: 'admin-token',
      action: 'create',
      before: null,
      after: { key: 'webinar_fans', name: 'ウェビナー好き', rule },
    });
    expect(Date.parse(entry.at)).toBeGreaterThan(Date.now() - 60_000);

    await api('PUT', '/segments/webinar_fans', { name: 'ウェビナー常連', description: 'x', enabled: true, rule });
    entry = await latest('segment', 'webinar_fans');
    expect(entry).toMatchObject({
      action: 'update',
      before: { name: 'ウェビナー好き', description: '' },
      after: { name: 'ウェビナー常連', description: 'x' },
    });

    const order = (await api<{ segments: { key: string }[] }>('GET', '/segments')).body.segments.map((s) => s.key);
    const reversed = [...order].reverse();
    expect((await api('PUT', '/segment-order', { keys: reversed })).status).toBe(200);
    entry = await latest('segment_order', 'order');
    expect(entry).toMatchObject({ action: 'update', before: { keys: order }, after: { keys: reversed } });
    await api('PUT', '/segment-order', { keys: order });

    await api('POST', '/variants', { id: 'fans_cta', slot: 'cta', segment: 'webinar_fans', name: '次回のご案内', html: '<p>次回</p>' });
    expect((await api('DELETE', '/segments/webinar_fans')).status).toBe(204);
    entry = await latest('segment', 'webinar_fans');
    expect(entry).toMatchObject({
      action: 'delete',
      after: null,
      before: { key: 'webinar_fans', variants: [{ id: 'fans_cta', html: '<p>次回</p>' }] },
    });
  });

  it('scoring and page categories: the whole table before and after', async () => {
    const scoring = (await api('GET', '/scoring')).body;
    const edited = { ...scoring, settings: { ...scoring.settings, hotAt: scoring.settings.hotAt + 5 } };
    expect((await api('PUT', '/scoring', { rules: edited.rules, settings: edited.settings })).status).toBe(200);
    const entry = await latest('scoring', 'scoring');
    expect(entry.before).toEqual(scoring);
    expect(entry.after).toEqual(edited);

    const { rules } = (await api('GET', '/categories')).body;
    const more = [...rules, { id: 'webinar', pattern: '/webinar*', category: 'seminar', priority: 5 }];
    await api('PUT', '/categories', { rules: more });
    expect(await latest('categories', 'categories')).toMatchObject({ before: { rules }, after: { rules: more } });
  });

  it('a save that changes nothing is not logged', async () => {
    const { rules } = (await api('GET', '/categories')).body;
    const n = await count('changes');
    await api('PUT', '/categories', { rules });
    expect(await count('changes')).toBe(n);
  });

  it('slots, content and experiments', async () => {
    await api('POST', '/slots', { key: 'banner', name: 'バナー' });
    await api('PUT', '/slots/banner', { name: '告知バナー' });
    expect((await history('slot', 'banner')).map((c) => c.action)).toEqual(['update', 'create']);

    await api('POST', '/variants', { id: 'banner_hot', slot: 'banner', segment: 'hot_lead', name: '相談会', html: '<p>相談会</p>' });
    await api('PUT', '/variants/banner_hot', { name: '個別相談会', html: '<p>個別相談会</p>', enabled: true });
    expect(await latest('variant', 'banner_hot')).toMatchObject({
      action: 'update',
      before: { html: '<p>相談会</p>' },
      after: { html: '<p>個別相談会</p>' },
    });

    const exp = {
      id: 'exp_banner',
      name: 'バナー実験',
      slot: 'banner',
      segment: 'hot_lead',
      goal: { eventType: 'form_inquiry' },
      arms: [
        { key: 'control', weight: 0.5, variant: null },
        { key: 'talk', weight: 0.5, variant: 'banner_hot' },
      ],
    };
    expect((await api('POST', '/experiments', exp)).status).toBe(201);
    await api('POST', '/experiments/exp_banner/status', { status: 'running' });
    expect(await latest('experiment', 'exp_banner')).toMatchObject({
      action: 'update',
      before: { status: 'draft' },
      after: { status: 'running' },
    });
    await api('POST', '/experiments/exp_banner/status', { status: 'stopped' });
    expect((await api('DELETE', '/experiments/exp_banner')).status).toBe(204);
    expect((await history('experiment', 'exp_banner')).map((c) => c.action)).toEqual(['delete', 'update', 'update', 'create']);

    expect((await api('DELETE', '/slots/banner')).status).toBe(204);
    expect(await latest('slot', 'banner')).toMatchObject({
      action: 'delete',
      before: { key: 'banner', name: '告知バナー', variants: [{ id: 'banner_hot' }] },
    });
  });

  it('display names and alerts (never the signing secret)', async () => {
    const names = { events: {}, props: {}, traits: { industry: { ja: '業種', en: 'Industry' } } };
    await api('PUT', '/vocabulary', names);
    const vocab = await latest('vocabulary', 'vocabulary');
    expect(vocab.action).toBe('update');
    expect(vocab.after).toEqual(names);

    const created = await api('POST', '/alerts', {
      name: 'ホット通知',
      trigger: { type: 'segment_entered', segment: 'hot_lead' },
      destination: { url: hookUrl('changes'), format: 'standard', language: 'ja' },
      cooldownDays: 7,
    });
    expect(created.status).toBe(201);
    const entry = await latest('alert', created.body.id);
    expect(entry).toMatchObject({ action: 'create', after: { name: 'ホット通知', cooldownDays: 7 } });
    const raw = JSON.stringify(await env.DB.prepare('SELECT before, after FROM changes').all());
    expect(raw).not.toContain(created.body.secret.slice(6));
  });

  it('a refused write logs nothing', async () => {
    const n = await count('changes');
    expect((await api('POST', '/segments', { key: 'hot_lead', name: 'dup', description: '', enabled: true, rule })).status).toBe(409);
    expect((await api('PUT', '/scoring', { rules: [], settings: { decayPerDay: 1, hotAt: 10, warmAt: 20 } })).status).toBe(400);
    expect((await api('DELETE', '/segments/consideration')).status).toBe(409);
    expect(await count('changes')).toBe(n);
  });
});

describe('the list', () => {
  it('is newest first, filters by entity and id, and pages with a cursor that shifts nothing', async () => {
    const all = (await api<{ items: Change[] }>('GET', '/changes?limit=200')).body.items;
    expect(all.length).toBeGreaterThan(15);
    const times = all.map((c) => Date.parse(c.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    const pages: Change[] = [];
    let cursor: string | null = null;
    do {
      const q: string = `/changes?limit=4${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await api<{ items: Change[]; nextCursor: string | null }>('GET', q)).body;
      expect(page.items.length).toBeLessThanOrEqual(4);
      pages.push(...page.items);
      cursor = page.nextCursor;
      // A change made while paging is newer than the first page: it never shifts the next one.
      if (pages.length === 4) await api('PUT', '/slots/hero', { name: `メインビジュアル ${Date.now()}` });
    } while (cursor);
    expect(pages.map((c) => c.id)).toEqual(all.map((c) => c.id));

    const segs = (await api<{ items: Change[] }>('GET', '/changes?entity=segment')).body.items;
    expect(segs.length).toBeGreaterThan(0);
    expect(segs.every((c) => c.entity === 'segment')).toBe(true);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=201', 'limit'],
    ['entity=members', 'entity'],
    ['cursor=abc', 'cursor'],
  ])('refuses ?%s with an issue on %s', async (query, field) => {
    const res = await api('GET', `/changes?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.issues[0].path).toEqual([field]);
  });
});

describe('restore', () => {
  it('puts an earlier segment back, logged as a restore of that change', async () => {
    await api('PUT', '/segments/dormant', {
      name: '休眠リード（更新）',
      description: '',
      enabled: false,
      rule: { match: 'all', conditions: [] },
    });
    const edit = await latest('segment', 'dormant');
    const version = await configVersion();
    const res = await restore(edit.id);
    expect(res.status).toBe(200);
    expect(res.body.change).toMatchObject({
      action: 'restore',
      actor: 'admin-token',
      restoredFrom: edit.id,
      before: { name: '休眠リード（更新）' },
      after: { name: '休眠リード' },
    });
    const now = (await api('GET', '/segments/dormant')).body;
    expect(now).toMatchObject({ name: '休眠リード', enabled: edit.before.enabled, rule: edit.before.rule });
    expect(await configVersion()).not.toBe(version);
    expect((await latest('segment', 'dormant')).id).toBe(res.body.change.id);
    // Once restored, the same restore has nothing left to do.
    await expectRefused(edit.id, 'restore_unchanged');
  });

  it('brings a deleted segment back with its content; undoing its creation deletes it again', async () => {
    const deletion = (await history('segment', 'webinar_fans')).find((c) => c.action === 'delete')!;
    expect((await restore(deletion.id)).status).toBe(200);
    expect((await api('GET', '/segments/webinar_fans')).body.name).toBe('ウェビナー常連');
    expect((await api('GET', '/variants/fans_cta')).body.html).toBe('<p>次回</p>');

    const creation = (await history('segment', 'webinar_fans')).find((c) => c.action === 'create')!;
    expect((await restore(creation.id)).status).toBe(200);
    expect((await api('GET', '/segments/webinar_fans')).status).toBe(404);
    expect((await api('GET', '/variants/fans_cta')).status).toBe(404);
  });

  it('an earlier match order, the points table, page categories and names', async () => {
    const scoringEdit = (await history('scoring', 'scoring')).find((c) => c.action === 'update')!;
    expect((await restore(scoringEdit.id)).status).toBe(200);
    expect((await api('GET', '/scoring')).body).toEqual(scoringEdit.before);

    const cats = await latest('categories', 'categories');
    expect((await restore(cats.id)).status).toBe(200);
    expect((await api('GET', '/categories')).body.rules).toEqual(cats.before.rules);

    const names = await latest('vocabulary', 'vocabulary');
    const version = await configVersion();
    expect((await restore(names.id)).status).toBe(200);
    // The demo's own names again (industry with its values), not the one-line replacement.
    expect(names.before.traits.industry.values).toBeDefined();
    expect((await api('GET', '/vocabulary')).body.traits).toEqual(names.before.traits);
    // Names are console data: restoring them does not reload the visitor path's configuration.
    expect(await configVersion()).toBe(version);

    const order = (await api<{ segments: { key: string }[] }>('GET', '/segments')).body.segments.map((s) => s.key);
    const moved = [order[1]!, order[0]!, ...order.slice(2)];
    await api('PUT', '/segment-order', { keys: moved });
    expect((await restore((await latest('segment_order', 'order')).id)).status).toBe(200);
    expect((await api<{ segments: { key: string }[] }>('GET', '/segments')).body.segments.map((s) => s.key)).toEqual(order);
  });

  it('refuses an order of segments that no longer exist as they were', async () => {
    await api('POST', '/segments', { key: 'late', name: '後から', description: '', enabled: true, rule });
    const reorder = (await history('segment_order', 'order')).find((c) => c.action === 'update')!;
    await expectRefused(reorder.id, 'restore_order');
    await api('DELETE', '/segments/late');
  });

  it('a deleted slot comes back with its content; content edits are put back', async () => {
    const deletion = await latest('slot', 'banner');
    expect((await restore(deletion.id)).status).toBe(200);
    expect((await api('GET', '/variants/banner_hot')).body).toMatchObject({ slot: 'banner', html: '<p>個別相談会</p>' });

    const edit = (await history('variant', 'banner_hot')).find((c) => c.action === 'update')!;
    expect((await restore(edit.id)).status).toBe(200);
    expect((await api('GET', '/variants/banner_hot')).body.html).toBe('<p>相談会</p>');
  });

  it('experiments: a restore obeys the same rules as an edit', async () => {
    // The deleted experiment comes back as it was (stopped), without its old exposures.
    const deletion = await latest('experiment', 'exp_banner');
    expect((await restore(deletion.id)).status).toBe(200);
    expect((await api('GET', '/experiments/exp_banner')).body).toMatchObject({ status: 'stopped', name: 'バナー実験' });

    // Stopped is final: undoing the stop is refused with the transition.
    const stop = (await history('experiment', 'exp_banner')).find((c) => c.after?.status === 'stopped' && c.action === 'update')!;
    await expectRefused(stop.id, 'transition', { from: 'stopped', to: 'running' });

    // A running experiment is frozen: its earlier arms cannot be put back while it runs.
    await api('POST', '/experiments', {
      id: 'exp_hot_hero',
      name: '相談テスト',
      slot: 'hero',
      segment: 'hot_lead',
      goal: { eventType: 'form_inquiry' },
      arms: [
        { key: 'control', weight: 0.5, variant: null },
        { key: 'talk', weight: 0.5, variant: 'hot_lead_hero' },
      ],
    });
    await api('PUT', '/experiments/exp_hot_hero', {
      name: '相談テスト',
      goal: { eventType: 'form_inquiry' },
      arms: [
        { key: 'control', weight: 0.2, variant: null },
        { key: 'talk', weight: 0.8, variant: 'hot_lead_hero' },
      ],
    });
    const armsEdit = await latest('experiment', 'exp_hot_hero');
    await api('POST', '/experiments/exp_hot_hero/status', { status: 'running' });
    await expectRefused(armsEdit.id, 'not_editable', { status: 'running' });

    // Undoing the pause resumes it (and keeps its first start).
    await api('POST', '/experiments/exp_hot_hero/status', { status: 'paused' });
    const pause = await latest('experiment', 'exp_hot_hero');
    const started = (await api('GET', '/experiments/exp_hot_hero')).body.startedAt;
    expect((await restore(pause.id)).status).toBe(200);
    expect((await api('GET', '/experiments/exp_hot_hero')).body).toMatchObject({ status: 'running', startedAt: started });
    await api('POST', '/experiments/exp_hot_hero/status', { status: 'stopped' });
  });

  it('refuses a deleted experiment whose arm shows content that no longer exists', async () => {
    await api('POST', '/variants', { id: 'dormant_b', slot: 'hero', segment: 'dormant', name: 'B', html: '<p>B</p>' });
    await api('POST', '/experiments', {
      id: 'exp_dormant',
      name: '休眠テスト',
      slot: 'hero',
      segment: 'dormant',
      goal: { eventType: 'login' },
      arms: [
        { key: 'control', weight: 0.5, variant: null },
        { key: 'b', weight: 0.5, variant: 'dormant_b' },
      ],
    });
    expect((await api('DELETE', '/experiments/exp_dormant')).status).toBe(204);
    expect((await api('DELETE', '/variants/dormant_b')).status).toBe(204);
    await expectRefused((await latest('experiment', 'exp_dormant')).id, 'restore_missing', { entity: 'variant', id: 'dormant_b' });
    expect((await api('GET', '/experiments/exp_dormant')).status).toBe(404);
  });

  it('alerts: an earlier setting, and a deleted alert with a new secret shown once', async () => {
    const [alert] = (await api('GET', '/alerts')).body.alerts.filter((a: { name: string }) => a.name === 'ホット通知');
    const body = { name: 'ホット通知', enabled: true, trigger: alert.trigger, destination: alert.destination, cooldownDays: 3 };
    await api('PUT', `/alerts/${alert.id}`, body);
    expect((await restore((await latest('alert', alert.id)).id)).status).toBe(200);
    expect((await api('GET', `/alerts/${alert.id}`)).body.cooldownDays).toBe(7);

    await api('DELETE', `/alerts/${alert.id}`);
    const res = await restore((await latest('alert', alert.id)).id);
    expect(res.status).toBe(200);
    expect(res.body.secret).toMatch(/^whsec_/);
    expect((await api('GET', `/alerts/${alert.id}`)).body).toMatchObject({ name: 'ホット通知', cooldownDays: 7, enabled: true });
    const row = await env.DB.prepare('SELECT secret FROM alerts WHERE id = ?').bind(alert.id).first<{ secret: string }>();
    expect(row?.secret).toBe(res.body.secret);
  });

  it('refuses restoring content whose segment is gone, and unknown changes', async () => {
    await api('POST', '/segments', { key: 'brief', name: '短命', description: '', enabled: true, rule });
    await api('POST', '/variants', { id: 'brief_cta', slot: 'cta', segment: 'brief', name: '', html: '<p>b</p>' });
    await api('DELETE', '/variants/brief_cta');
    await api('DELETE', '/segments/brief');
    await expectRefused((await latest('variant', 'brief_cta')).id, 'restore_missing', { entity: 'segment', id: 'brief' });

    const res = await restore('chg_nope');
    expect(res.status).toBe(404);
    expect(res.body.error?.code).toBe('not_found');
  });

  it('a restore can itself be undone (it is a change like any other)', async () => {
    const [entry] = (await history('segment', 'dormant')).filter((c) => c.action === 'restore');
    expect((await restore(entry!.id)).status).toBe(200);
    expect((await api('GET', '/segments/dormant')).body.name).toBe('休眠リード（更新）');
  });
});

describe('what the log holds', () => {
  it('configuration only: configuration entities, no member or visitor column, no visitor’s activity', async () => {
    const columns = (await env.DB.prepare('SELECT name FROM pragma_table_info(?)').bind('changes').all<{ name: string }>()).results.map(
      (c) => c.name,
    );
    expect(columns.sort()).toEqual(['action', 'actor', 'after', 'at', 'before', 'entity', 'entity_id', 'id', 'restored_from']);
    const n = await count('changes');
    const visitor = vid('log');
    const memberId = `log-member-${visitor}`;
    await post('/v1/identify', { visitorId: visitor, token: await identifyToken(memberId, { industry: 'SaaS' }) });
    await post('/v1/decide', { visitorId: visitor, slots: ['hero'], events: [pageView('pricing')] });
    expect(await count('changes')).toBe(n);
    expect(await count('changes', 'before LIKE ?1 OR after LIKE ?1', `%${memberId}%`)).toBe(0);
    const entities = (await env.DB.prepare('SELECT DISTINCT entity FROM changes').all<{ entity: string }>()).results.map((r) => r.entity);
    expect(entities.every((e) => (changeEntities as readonly string[]).includes(e))).toBe(true);
  });
});
