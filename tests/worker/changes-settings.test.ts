/**
 * The change log for site settings, propensity models and alert signing-secret rotations,
 * through the real worker and a local D1: who, when, before/after; restore where it makes sense
 * (settings, models), itself logged; a rotation logged as "rotated" with no secret anywhere in
 * the log, and refused as a restore with a coded 409 that writes nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { api, configVersion, history, type LoggedChange as Change } from './admin-helpers';
import { count, loadDemo } from './helpers';
import { hookUrl } from './receiver/client';

beforeAll(loadDemo);

const restore = (id: string) => api<{ change: Change; error?: { code: string; params?: any } }>('POST', `/changes/${id}/restore`);

describe('site settings', () => {
  it('logs a change of zone and stylesheet with before/after, and a restore puts the earlier settings back', async () => {
    const was = (await api('GET', '/site')).body;
    expect(was).toEqual({ timeZone: expect.any(String), previewStylesheet: null });
    const put = await api('PUT', '/site', { timeZone: 'Asia/Tokyo', previewStylesheet: 'https://www.example.co.jp/css/site.css' });
    expect(put.status).toBe(200);
    const [entry] = await history('site', 'site');
    expect(entry).toMatchObject({
      actor: 'admin-token',
      action: 'update',
      before: was,
      after: { timeZone: 'Asia/Tokyo', previewStylesheet: 'https://www.example.co.jp/css/site.css' },
    });

    // A PUT without the stylesheet keeps it; saving the same settings again logs nothing.
    const logged = await count('changes');
    expect((await api('PUT', '/site', { timeZone: 'Asia/Tokyo' })).body.previewStylesheet).toBe('https://www.example.co.jp/css/site.css');
    expect(await count('changes')).toBe(logged);

    const res = await restore(entry!.id);
    expect(res.status).toBe(200);
    expect(res.body.change).toMatchObject({ action: 'restore', restoredFrom: entry!.id, entity: 'site', after: was });
    expect((await api('GET', '/site')).body).toEqual(was);
  });

  it('refuses a stylesheet that is not https (or is not an address) and writes nothing', async () => {
    const logged = await count('changes');
    const version = await configVersion();
    for (const previewStylesheet of [
      'http://www.example.co.jp/site.css',
      'javascript:alert(1)',
      'https://user:pw@example.jp/a.css',
      'site.css',
    ]) {
      const res = await api('PUT', '/site', { timeZone: 'UTC', previewStylesheet });
      expect(res.status, previewStylesheet).toBe(400);
      expect(res.body.error.issues[0]).toMatchObject({ path: ['previewStylesheet'], code: 'custom', params: { reason: 'stylesheet_url' } });
    }
    expect(await count('changes')).toBe(logged);
    expect(await configVersion()).toBe(version);
  });
});

describe('propensity models', () => {
  it('logs training, retraining and deletion; undoing the deletion brings the same model back', async () => {
    const train = { key: 'log_attend', name: 'セミナー参加見込み', event: 'seminar_attend', days: 14 };
    const first = await api('POST', '/models', train);
    expect(first.status).toBe(201);
    const [created] = await history('model', 'log_attend');
    expect(created).toMatchObject({ actor: 'admin-token', action: 'create', before: null, after: { key: 'log_attend', name: train.name } });
    expect(created!.after).toEqual(first.body);

    const second = await api('POST', '/models', { ...train, name: 'セミナー参加見込み（2）', l2: 10 });
    expect(second.status).toBe(201);
    const [retrained] = await history('model', 'log_attend');
    expect(retrained).toMatchObject({ action: 'update', before: first.body, after: second.body });

    expect((await api('DELETE', '/models/log_attend')).status).toBe(204);
    const [deleted] = await history('model', 'log_attend');
    expect(deleted).toMatchObject({ action: 'delete', before: second.body, after: null });

    const back = await restore(deleted!.id);
    expect(back.status).toBe(200);
    expect((await api('GET', '/models/log_attend')).body).toEqual(second.body);

    // Putting back the version before the retraining: the first model, as trained then.
    expect((await restore(retrained!.id)).status).toBe(200);
    expect((await api('GET', '/models/log_attend')).body).toEqual(first.body);
  });

  it('refuses to undo a training while a segment tests the model, and writes nothing', async () => {
    const res = await api('POST', '/models', { key: 'log_used', name: 'Used', event: 'form_inquiry', days: 14 });
    expect(res.status).toBe(201);
    const [created] = await history('model', 'log_used');
    const rule = { match: 'all', conditions: [{ type: 'propensity', model: 'log_used', op: 'gte', value: 0.5 }] };
    expect((await api('POST', '/segments', { key: 'log_likely', name: 'Likely', rule })).status).toBe(201);
    const logged = await count('changes');
    const version = await configVersion();
    const refused = await restore(created!.id);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'in_use', params: { entity: 'model', segments: ['log_likely'] } });
    expect(await count('changes')).toBe(logged);
    expect(await configVersion()).toBe(version);
    expect((await api('GET', '/models/log_used')).status).toBe(200);
  });
});

describe('alert signing secret', () => {
  it('logs a rotation as "rotated" without any secret, and refuses to undo it', async () => {
    const created = await api('POST', '/alerts', {
      name: 'Rotation log',
      enabled: true,
      trigger: { type: 'segment_entered', segment: 'hot_lead' },
      destination: { url: hookUrl('rotation-log'), format: 'standard', language: 'ja' },
      cooldownDays: 7,
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const rotated = await api('POST', `/alerts/${id}/secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);

    const [entry] = await history('alert_secret', id);
    expect(entry).toMatchObject({
      actor: 'admin-token',
      action: 'update',
      before: { name: 'Rotation log', secret: 'earlier' },
      after: { name: 'Rotation log', secret: 'rotated' },
    });
    // Neither secret is anywhere in the log.
    const all = JSON.stringify((await api('GET', '/changes?limit=200')).body);
    expect(all).not.toContain(created.body.secret);
    expect(all).not.toContain(rotated.body.secret);
    expect(all).not.toContain('whsec_');

    const logged = await count('changes');
    const res = await restore(entry!.id);
    expect(res.status).toBe(409);
    expect(res.body.error?.code).toBe('restore_secret');
    expect(await count('changes')).toBe(logged);

    // The alert's own history (by id, any entity) lists the creation and the rotation.
    const byId = (await api<{ items: Change[] }>('GET', `/changes?entityId=${id}`)).body.items.map((c) => `${c.entity}:${c.action}`);
    expect(byId).toEqual(['alert_secret:update', 'alert:create']);
  });
});
