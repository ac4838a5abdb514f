/**
 * The committed configuration is the production one: a deploy with nothing changed runs with
 * wrangler.toml's [vars] and real secrets, and no `.dev.vars`. These tests run the worker with
 * exactly that environment (test secrets of production length), then with secrets missing or short.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import app from '../../worker/index';
import { call, count, eid, identifyToken, json, pageView, vid } from './helpers';

const LONG = (name: string) => `${name}-`.padEnd(44, 'x');
const DEV_ONLY = ['LOCAL_DEV', 'DEMO_MODE', 'ALLOWED_ORIGINS', 'DEBUG_TIMING'] as const;

function productionEnv(overrides: Record<string, string | undefined> = {}) {
  const base: Record<string, unknown> = { ...env };
  for (const key of DEV_ONLY) delete base[key];
  return {
    ...base,
    ...JSON.parse(env.PRODUCTION_VARS),
    ADMIN_TOKEN: LONG('admin'),
    SERVER_API_KEY: LONG('server'),
    IDENTIFY_SECRET: LONG('identify'),
    PREVIEW_SECRET: LONG('preview'),
    ...overrides,
  };
}

const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;

function fetchProd(path: string, init: RequestInit = {}, overrides: Record<string, string | undefined> = {}) {
  return app.fetch(new Request(`https://edge.example.jp${path}`, init), productionEnv(overrides), ctx);
}

const decideBody = () => JSON.stringify({ visitorId: vid('prod'), slots: ['hero'], events: [pageView()] });

describe('a deploy with nothing changed', () => {
  it('ships no dev value in wrangler.toml', () => {
    const vars = JSON.parse(env.PRODUCTION_VARS);
    expect(vars.DEMO_MODE).toBeUndefined();
    expect(vars.LOCAL_DEV).toBeUndefined();
    expect(vars.DEBUG_TIMING).toBeUndefined();
    expect(vars.ALLOWED_ORIGINS ?? '').toBe('');
  });

  it.each([
    ['/demo/api/token?as=saas', 'GET'],
    ['/demo/api/visitor/abcdefghijklmnopqr', 'GET'],
    ['/demo/api/names', 'GET'],
  ])('%s answers 404', async (path, method) => {
    const res = await fetchProd(path, { method });
    expect(res.status).toBe(404);
    expect((await json(res)).error.code).toBe('not_found');
  });

  it('accepts no browser origin, and writes nothing for one', async () => {
    const before = await count('events');
    const res = await fetchProd('/v1/decide', { method: 'POST', headers: { origin: 'https://www.example.co.jp' }, body: decideBody() });
    expect(res.status).toBe(403);
    expect((await json(res)).error.code).toBe('origin_not_allowed');
    expect(await count('events')).toBe(before);
  });

  it('does not honour "*" outside local dev', async () => {
    const res = await fetchProd(
      '/v1/decide',
      { method: 'POST', headers: { origin: 'https://evil.example' }, body: decideBody() },
      { ALLOWED_ORIGINS: '*' },
    );
    expect(res.status).toBe(403);
  });

  it('allows exactly the origins it is given', async () => {
    const res = await fetchProd(
      '/v1/decide',
      { method: 'POST', headers: { origin: 'https://www.example.co.jp' }, body: decideBody() },
      { ALLOWED_ORIGINS: 'https://www.example.co.jp/' },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://www.example.co.jp');
  });

  it('/healthz says nothing of local dev (the console shows the dev token hint only where it does)', async () => {
    expect(await json(await fetchProd('/healthz'))).toEqual({ ok: true });
    expect(await json(await call('GET', '/healthz'))).toEqual({ ok: true, localDev: true });
  });

  it('sends no Server-Timing header (it would tell how much work a visitor id costs)', async () => {
    const res = await fetchProd('/v1/decide', { method: 'POST', body: decideBody() });
    expect(res.status).toBe(200);
    expect(res.headers.get('server-timing')).toBeNull();
  });
});

describe('secrets: no fallback, no short values outside local dev', () => {
  const identifyBody = async (secret: string) =>
    JSON.stringify({ visitorId: vid('sec'), token: await identifyToken('m-secret', {}, 600, secret) });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['shorter than 32 bytes', 'dev-identify-secret'],
  ])('IDENTIFY_SECRET %s → 503 not_configured', async (_label, secret) => {
    const res = await fetchProd('/v1/identify', { method: 'POST', body: await identifyBody(secret || 'x') }, { IDENTIFY_SECRET: secret });
    expect(res.status).toBe(503);
    expect((await json(res)).error.code).toBe('not_configured');
    expect(await count('members', 'id = ?', 'm-secret')).toBe(0);
  });

  it('a production-length IDENTIFY_SECRET works', async () => {
    const res = await fetchProd('/v1/identify', { method: 'POST', body: await identifyBody(LONG('identify')) });
    expect(res.status).toBe(200);
  });

  it('previews need their own PREVIEW_SECRET: never the admin token, never a constant', async () => {
    const headers = { authorization: `Bearer ${LONG('admin')}`, 'content-type': 'application/json' };
    const body = JSON.stringify({ url: 'https://www.example.co.jp/', segment: null, arms: {} });
    const res = await fetchProd('/api/preview', { method: 'POST', headers, body }, { PREVIEW_SECRET: undefined });
    expect(res.status).toBe(503);
    expect((await json(res)).error.code).toBe('not_configured');
    const ok = await fetchProd('/api/preview', { method: 'POST', headers, body });
    expect(ok.status).toBe(200);
    const { token } = await json(ok);
    // A decide carrying it is refused once the secret is gone, not verified with another key.
    const decide = await fetchProd(
      '/v1/decide',
      { method: 'POST', body: JSON.stringify({ visitorId: vid('pv'), slots: ['hero'], preview: token }) },
      { PREVIEW_SECRET: undefined },
    );
    expect(decide.status).toBe(503);
  });

  it.each([
    ['ADMIN_TOKEN', '/api/visitors/abcdefghijklmnop', 'GET', 'admin'],
    ['SERVER_API_KEY', '/v1/server/collect', 'POST', 'server'],
  ])('%s short or missing → 503 not_configured', async (name, path, method, label) => {
    for (const value of [undefined, 'short-key']) {
      const res = await fetchProd(
        path,
        {
          method,
          headers: { authorization: `Bearer ${value ?? LONG(label)}` },
          body: method === 'POST' ? JSON.stringify({ memberId: 'm-1', events: [{ id: eid(), type: 'login' }] }) : undefined,
        },
        { [name]: value },
      );
      expect(res.status, `${name}=${value}`).toBe(503);
      expect((await json(res)).error.code).toBe('not_configured');
    }
  });
});
