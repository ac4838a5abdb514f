/**
 * Every request goes through Hono's router, so which router the app gets matters on every page:
 * Hono tries its RegExpRouter (one precompiled expression per method) and silently falls back to
 * the TrieRouter (a tree walk per request) when one route is ambiguous for it — a static path
 * beside a parameter at the same place for the same method. Nothing fails when it happens, so
 * it went unnoticed once (docs/storage.md, "Seventh pass"); this keeps it from returning.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import app from '../../worker/index';
import { loadDemo, post, vid } from './helpers';
import { api } from './admin-helpers';

describe('the router', () => {
  it('RegExpRouter accepts every route of the app', () => {
    const router = new RegExpRouter<unknown>();
    for (const r of app.routes) router.add(r.method, r.path, r.handler);
    expect(() => router.match('POST', '/v1/decide')).not.toThrow();
  });

  it('the app answers through the RegExpRouter', async () => {
    expect((await app.request('/healthz', {}, env)).status).toBe(200);
    expect(app.router.name).toBe('SmartRouter + RegExpRouter');
  });

  it('a segment keyed "order" can be edited and read like any other', async () => {
    await loadDemo();
    const rule = { match: 'all', conditions: [{ type: 'score', op: 'gte', value: 1 }] };
    expect((await api('POST', '/segments', { key: 'order', name: '受注見込み', rule })).status).toBe(201);
    const put = await api('PUT', '/segments/order', { name: '受注間近', rule });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ key: 'order', name: '受注間近' });
    expect((await api('GET', '/segments/order')).body.name).toBe('受注間近');
    const res = await post('/v1/decide', { visitorId: vid('router'), slots: ['hero'], events: [] });
    expect(res.status).toBe(200);
  });
});
