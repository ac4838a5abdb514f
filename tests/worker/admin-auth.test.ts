/**
 * The admin console's safety defaults at the edge: security headers on every /admin response,
 * and the failed-sign-in brake on the bearer guards (admin API and server API): ten failures
 * from one client within a minute → 429 `too_many_attempts` with Retry-After, even for the
 * right token, while other clients are unaffected. Each test uses its own client address, so no
 * two share a counter.
 */
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { ADMIN, SERVER, call, json } from './helpers';

const from = (ip: string, headers: Record<string, string> = {}) => ({ 'cf-connecting-ip': ip, ...headers });

describe('admin console headers', () => {
  it.each(['/admin/', '/admin/segments/hot_lead', '/admin/no-such-file.js', '/admin/variant-preview.css'])('%s', async (path) => {
    const res = await call('GET', path);
    const csp = res.headers.get('content-security-policy') ?? '';
    const directives = new Map(
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...values]) => [name, values.join(' ')]),
    );
    expect(directives.get('script-src')).toBe("'self'");
    expect(directives.get('style-src')).toBe("'self'");
    expect(directives.get('frame-ancestors')).toBe("'none'");
    expect(directives.get('base-uri')).toBe("'none'");
    expect(directives.get('object-src')).toBe("'none'");
    expect(directives.get('form-action')).toBe("'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('/admin redirects to /admin/, with the headers', async () => {
    const res = await exports.default.fetch(new Request('http://edge.test/admin', { redirect: 'manual' }));
    expect(res.status).toBe(301);
    expect(new URL(res.headers.get('location')!, 'http://edge.test').pathname).toBe('/admin/');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('the API and the snippet do not get the console policy', async () => {
    expect((await call('GET', '/api/config', undefined, from('192.0.2.99', ADMIN))).headers.get('content-security-policy')).toBeNull();
    expect((await call('GET', '/healthz')).headers.get('content-security-policy')).toBeNull();
  });
});

async function fail(path: string, ip: string, method = 'GET', body?: unknown) {
  const res = await call(method, path, body, from(ip, { authorization: 'Bearer not-the-token' }));
  return res.status;
}

describe('failed sign-in brake', () => {
  it('admin API: ten failures, then 429 even with the right token; other clients unaffected', async () => {
    const ip = '192.0.2.1';
    for (let i = 0; i < 10; i++) expect(await fail('/api/config', ip), `attempt ${i + 1}`).toBe(401);
    const locked = await call('GET', '/api/config', undefined, from(ip, ADMIN));
    expect(locked.status).toBe(429);
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await json(locked)).error.code).toBe('too_many_attempts');
    // A wrong token is refused the same way: the client learns nothing about it.
    expect(await fail('/api/config', ip)).toBe(429);
    // Another address, and the server API from the same address, are not locked.
    expect((await call('GET', '/api/config', undefined, from('192.0.2.2', ADMIN))).status).toBe(200);
    expect((await call('PUT', '/v1/server/members/brake-m1', { traits: { plan: 'a' } }, from(ip, SERVER))).status).toBe(200);
  });

  it('a missing token counts as a failure', async () => {
    const ip = '192.0.2.3';
    for (let i = 0; i < 10; i++) expect((await call('GET', '/api/config', undefined, from(ip))).status).toBe(401);
    expect((await call('GET', '/api/config', undefined, from(ip, ADMIN))).status).toBe(429);
  });

  it('successful requests do not count', async () => {
    const ip = '192.0.2.4';
    for (let i = 0; i < 30; i++) expect((await call('GET', '/api/config', undefined, from(ip, ADMIN))).status).toBe(200);
    for (let i = 0; i < 9; i++) expect(await fail('/api/config', ip)).toBe(401);
    expect((await call('GET', '/api/config', undefined, from(ip, ADMIN))).status).toBe(200);
  });

  it('a parallel burst of guesses gets exactly ten answers, then 429s', async () => {
    const ip = '192.0.2.5';
    const statuses = await Promise.all(Array.from({ length: 40 }, () => fail('/api/config', ip)));
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30);
  });

  it('server API (SERVER_API_KEY): the same brake', async () => {
    const ip = '192.0.2.6';
    for (let i = 0; i < 10; i++) expect(await fail('/v1/server/members/brake-m2', ip, 'PUT', { traits: { plan: 'a' } })).toBe(401);
    const locked = await call('PUT', '/v1/server/members/brake-m2', { traits: { plan: 'a' } }, from(ip, SERVER));
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await json(locked)).error.code).toBe('too_many_attempts');
    expect((await call('PUT', '/v1/server/members/brake-m2', { traits: { plan: 'a' } }, from('192.0.2.7', SERVER))).status).toBe(200);
  });
});
