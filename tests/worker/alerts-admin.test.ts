/**
 * The console's alert API through the real worker: definitions (the secret shown once), bad
 * definitions refused with nothing written, the URL guard as the deployment sees it, "Send test"
 * with the receiver's own answer, secret rotation and the delivery log's filters and pages.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import app from '../../worker/index';
import { EXCERPT_CHARS } from '../../worker/services/alerts/send';
import { targetProblem } from '../../worker/services/alerts/target';
import { ADMIN, call, count, json, loadDemo, post } from './helpers';
import { createAlert, hookUrl, received, resetAlerts, script } from './receiver/client';

const valid = (over: Record<string, unknown> = {}) => ({
  name: 'ホットリードになったら IS に通知',
  trigger: { type: 'segment_entered', segment: 'hot_lead' },
  destination: { url: hookUrl('admin'), format: 'standard', language: 'ja' },
  cooldownDays: 7,
  ...over,
});

const configVersion = async () =>
  (await env.DB.prepare(`SELECT value FROM settings WHERE key = 'config_version'`).first<{ value: string }>())?.value;

beforeAll(loadDemo);
beforeEach(resetAlerts);

describe('alert definitions', () => {
  it('create shows the secret once; reads never do; every change stamps a new config version', async () => {
    const v0 = await configVersion();
    const res = await post('/api/alerts', valid(), ADMIN);
    expect(res.status).toBe(201);
    const created = await json(res);
    expect(created).toMatchObject({
      name: 'ホットリードになったら IS に通知',
      enabled: true,
      cooldownDays: 7,
      disabledReason: null,
      trigger: { type: 'segment_entered', segment: 'hot_lead' },
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created.id).toMatch(/^alt_/);
    expect(await configVersion()).not.toBe(v0);

    const one = await json(await call('GET', `/api/alerts/${created.id}`, undefined, ADMIN));
    const list = await json(await call('GET', '/api/alerts', undefined, ADMIN));
    for (const shown of [one, list.alerts[0]]) {
      expect(shown).not.toHaveProperty('secret');
      expect(JSON.stringify(shown)).not.toContain(created.secret.slice(6));
    }

    const v1 = await configVersion();
    const put = await call(
      'PUT',
      `/api/alerts/${created.id}`,
      valid({ name: 'warm', trigger: { type: 'tier_reached', tier: 'warm' }, cooldownDays: 3, enabled: false }),
      ADMIN,
    );
    expect(put.status).toBe(200);
    expect(await json(put)).toMatchObject({
      name: 'warm',
      enabled: false,
      trigger: { type: 'tier_reached', tier: 'warm' },
      cooldownDays: 3,
    });
    expect(await configVersion()).not.toBe(v1);

    expect((await call('DELETE', `/api/alerts/${created.id}`, undefined, ADMIN)).status).toBe(204);
    expect((await call('GET', `/api/alerts/${created.id}`, undefined, ADMIN)).status).toBe(404);
  });

  it('the demo configuration ships a switched-off example for hot_lead', async () => {
    await loadDemo();
    const { alerts } = await json(await call('GET', '/api/alerts', undefined, ADMIN));
    expect(alerts).toContainEqual(
      expect.objectContaining({
        id: 'alt_demo_hot_lead',
        enabled: false,
        trigger: { type: 'segment_entered', segment: 'hot_lead' },
        cooldownDays: 7,
      }),
    );
  });

  it('defaults: standard format, Japanese, 7 days of cooldown, enabled', async () => {
    const res = await post(
      '/api/alerts',
      { name: 'x', trigger: { type: 'score_reached', score: 50 }, destination: { url: hookUrl('admin') } },
      ADMIN,
    );
    expect(await json(res)).toMatchObject({ enabled: true, cooldownDays: 7, destination: { format: 'standard', language: 'ja' } });
  });

  const bad: [string, Record<string, unknown>, (string | number)[], string][] = [
    ['an empty name', valid({ name: '  ' }), ['name'], 'too_small'],
    ['an unknown trigger', valid({ trigger: { type: 'visited', page: 'x' } }), ['trigger', 'type'], 'invalid_union'],
    ['tier "cold"', valid({ trigger: { type: 'tier_reached', tier: 'cold' } }), ['trigger', 'tier'], 'invalid_value'],
    ['score 0', valid({ trigger: { type: 'score_reached', score: 0 } }), ['trigger', 'score'], 'too_small'],
    ['a segment that does not exist', valid({ trigger: { type: 'segment_entered', segment: 'vip' } }), ['trigger', 'segment'], 'custom'],
    ['a negative cooldown', valid({ cooldownDays: -1 }), ['cooldownDays'], 'too_small'],
    ['an unknown format', valid({ destination: { url: hookUrl('admin'), format: 'email' } }), ['destination', 'format'], 'invalid_value'],
    [
      'an unknown language',
      valid({ destination: { url: hookUrl('admin'), language: 'fr' } }),
      ['destination', 'language'],
      'invalid_value',
    ],
    ['no URL', valid({ destination: { url: '' } }), ['destination', 'url'], 'too_small'],
    ['an ftp URL', valid({ destination: { url: 'ftp://hooks.example.com/x' } }), ['destination', 'url'], 'custom'],
    ['a private address', valid({ destination: { url: 'https://10.0.0.1/hook' } }), ['destination', 'url'], 'custom'],
    ['cloud metadata', valid({ destination: { url: 'https://169.254.169.254/latest/meta-data' } }), ['destination', 'url'], 'custom'],
    ['a user and password', valid({ destination: { url: 'https://u:p@hooks.example.com/x' } }), ['destination', 'url'], 'custom'],
    ['plain http to a public host', valid({ destination: { url: 'http://hooks.example.com/x' } }), ['destination', 'url'], 'custom'],
  ];
  it.each(bad)('%s → 400 on the field, nothing written', async (_name, body, path, code) => {
    const before = await count('alerts');
    const version = await configVersion();
    const res = await post('/api/alerts', body, ADMIN);
    expect(res.status).toBe(400);
    const err = (await json(res)).error;
    expect(err.code).toBe('invalid_request');
    expect(err.issues.map((i: { path: unknown[] }) => i.path)).toContainEqual(path);
    expect(err.issues.find((i: { path: unknown[] }) => JSON.stringify(i.path) === JSON.stringify(path)).code).toBe(code);
    expect(await count('alerts')).toBe(before);
    expect(await configVersion()).toBe(version);
  });

  it('says why a URL is refused, for the console to word', async () => {
    const res = await post('/api/alerts', valid({ destination: { url: 'https://[::ffff:127.0.0.1]/x' } }), ADMIN);
    expect((await json(res)).error.issues[0]).toMatchObject({
      path: ['destination', 'url'],
      code: 'custom',
      params: { reason: 'url_not_allowed', why: 'private_address' },
    });
  });

  it('loopback receivers only where local dev allows them', async () => {
    const ctx = createExecutionContext();
    const req = new Request('http://edge.test/api/alerts', {
      method: 'POST',
      headers: { ...ADMIN, 'content-type': 'application/json' },
      body: JSON.stringify(valid()),
    });
    const res = await app.fetch(req, { ...env, ALLOW_PRIVATE_WEBHOOKS: 'false' }, ctx);
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(400);
    expect((await json(res)).error.issues[0].params).toEqual({ reason: 'url_not_allowed', why: 'scheme' });
  });

  it('outside local dev, a host name must resolve, and only to public addresses', async () => {
    const production = { ...env, LOCAL_DEV: 'false', ALLOW_PRIVATE_WEBHOOKS: 'true' } as Cloudflare.Env;
    const resolving = (answers: string[] | null) => async () => answers;
    expect(await targetProblem('https://hooks.example.com/x', production, resolving(['93.184.216.34']))).toBeNull();
    expect(await targetProblem('https://hooks.example.com/x', production, resolving(['93.184.216.34', '10.0.0.8']))).toBe(
      'private_address',
    );
    expect(await targetProblem('https://rebind.example.com/x', production, resolving(['::1']))).toBe('private_address');
    expect(await targetProblem('https://nxdomain.example.com/x', production, resolving([]))).toBe('unresolvable');
    expect(await targetProblem('https://hooks.example.com/x', production, resolving(null))).toBe('unresolvable');
    // ALLOW_PRIVATE_WEBHOOKS means nothing without local dev.
    expect(await targetProblem('http://127.0.0.1:8900/x', production, resolving(['127.0.0.1']))).toBe('scheme');
  });
});

describe('send test', () => {
  it('delivers a signed sample and shows what the receiver answered; the log has it', async () => {
    const alert = await createAlert('sample');
    await script('sample', { responses: [{ status: 202, body: 'accepted by the CRM' }] });
    const res = await post(`/api/alerts/${alert.id}/test`, {}, ADMIN);
    expect(res.status).toBe(200);
    const out = await json(res);
    expect(out).toMatchObject({ ok: true, status: 202, error: null, responseExcerpt: 'accepted by the CRM' });
    const [msg] = await received('sample');
    expect(msg!.verified).toBe(true);
    expect(msg!.id).toBe(out.deliveryId);
    expect(msg!.body).toMatchObject({
      type: 'alert.test',
      member: { id: 'sample-member' },
      segment: { key: 'hot_lead', name: 'ホットリード' },
    });
    expect(msg!.body.summary).toMatch(
      /^【テスト送信】SaaS・120名の株式会社サンプルが料金ページを3回見て資料をダウンロードし、スコア\d+で「ホットリード」になりました$/,
    );
    expect(msg!.body.reasons.map((r: { ruleId: string }) => r.ruleId)).toEqual(['download', 'page_view_pricing', 'page_view']);
    const log = await json(await call('GET', `/api/deliveries?alert=${alert.id}`, undefined, ADMIN));
    expect(log.items[0]).toMatchObject({
      id: out.deliveryId,
      kind: 'test',
      status: 'delivered',
      attempts: 1,
      lastStatusCode: 202,
      memberId: null,
    });
  });

  it('a failing receiver: its status and words, no retries, the test logged as failed', async () => {
    const alert = await createAlert('sample-fail');
    await script('sample-fail', { responses: [{ status: 500, body: 'x'.repeat(5000) }] });
    const out = await json(await post(`/api/alerts/${alert.id}/test`, {}, ADMIN));
    expect(out).toMatchObject({ ok: false, status: 500, error: 'status_500' });
    expect(out.responseExcerpt.length).toBeLessThanOrEqual(EXCERPT_CHARS + 1);
    const detail = await json(await call('GET', `/api/deliveries/${out.deliveryId}`, undefined, ADMIN));
    expect(detail).toMatchObject({ status: 'failed', attempts: 1, lastStatusCode: 500, kind: 'test' });
    expect(detail.responseExcerpt.length).toBeLessThanOrEqual(EXCERPT_CHARS + 1);
    expect(detail.payload.type).toBe('alert.test');
    expect(await received('sample-fail')).toHaveLength(1);
  });

  it('an unreachable receiver is a network error, not a crash', async () => {
    const res = await post('/api/alerts', valid({ destination: { url: 'http://127.0.0.1:9/nothing-listens' } }), ADMIN);
    const alert = await json(res);
    const out = await json(await post(`/api/alerts/${alert.id}/test`, {}, ADMIN));
    expect(out).toMatchObject({ ok: false, status: null, error: 'network' });
  });

  it('Slack: the sample as text and blocks, in English when asked', async () => {
    const alert = await createAlert('sample-slack', { destination: { url: hookUrl('sample-slack'), format: 'slack', language: 'en' } });
    const out = await json(await post(`/api/alerts/${alert.id}/test`, {}, ADMIN));
    expect(out.ok).toBe(true);
    const [msg] = await received('sample-slack');
    expect(msg!.signature).toBeNull();
    expect(msg!.body.text).toMatch(
      /^\[Test\] Example Inc\. \(SaaS, 120 employees\) viewed the pricing page 3 times and downloaded a document/,
    );
    expect(JSON.stringify(msg!.body.blocks)).toContain('/admin/members/sample-member');
  });

  it('a new secret replaces the old one, shown once', async () => {
    const alert = await createAlert('rotate');
    const rotated = await json(await post(`/api/alerts/${alert.id}/secret`, {}, ADMIN));
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(alert.secret);
    await post(`/api/alerts/${alert.id}/test`, {}, ADMIN);
    expect((await received('rotate')).at(-1)!.verified).toBe(false);
    await script('rotate', { secret: rotated.secret });
    await post(`/api/alerts/${alert.id}/test`, {}, ADMIN);
    expect((await received('rotate')).at(-1)!.verified).toBe(true);
  });

  it('404 for an unknown alert', async () => {
    expect((await post('/api/alerts/alt_nope/test', {}, ADMIN)).status).toBe(404);
  });
});

describe('the delivery log', () => {
  it('filters by alert, status and member, newest first, in pages', async () => {
    const a = await createAlert('log-a');
    const b = await createAlert('log-b');
    await script('log-b', { responses: [{ status: 400 }] });
    for (let i = 0; i < 3; i++) await post(`/api/alerts/${a.id}/test`, {}, ADMIN);
    await post(`/api/alerts/${b.id}/test`, {}, ADMIN);
    const all = await json(await call('GET', '/api/deliveries', undefined, ADMIN));
    expect(all.items.length).toBeGreaterThanOrEqual(4);
    const created = all.items.map((d: { createdAt: number }) => d.createdAt);
    expect([...created].sort((x, y) => y - x)).toEqual(created);
    expect((await json(await call('GET', `/api/deliveries?alert=${b.id}`, undefined, ADMIN))).items).toHaveLength(1);
    const failed = await json(await call('GET', `/api/deliveries?alert=${b.id}&status=failed`, undefined, ADMIN));
    expect(failed.items.map((d: { alertName: string }) => d.alertName)).toEqual([`alert for log-b`]);
    expect((await json(await call('GET', `/api/deliveries?alert=${a.id}&status=failed`, undefined, ADMIN))).items).toHaveLength(0);
    expect((await json(await call('GET', '/api/deliveries?member=sample-member', undefined, ADMIN))).items).toHaveLength(0);

    const page1 = await json(await call('GET', `/api/deliveries?alert=${a.id}&limit=2`, undefined, ADMIN));
    expect(page1.items).toHaveLength(2);
    const page2 = await json(await call('GET', `/api/deliveries?alert=${a.id}&limit=2&before=${page1.nextBefore}`, undefined, ADMIN));
    expect(page2.items).toHaveLength(1);
    expect(page2.nextBefore).toBeNull();
    expect(new Set([...page1.items, ...page2.items].map((d: { id: string }) => d.id)).size).toBe(3);
  });

  it('refuses a bad filter', async () => {
    expect((await call('GET', '/api/deliveries?status=lost', undefined, ADMIN)).status).toBe(400);
    expect((await call('GET', '/api/deliveries?limit=0', undefined, ADMIN)).status).toBe(400);
    expect((await call('GET', '/api/deliveries/msg_nope', undefined, ADMIN)).status).toBe(404);
  });
});
