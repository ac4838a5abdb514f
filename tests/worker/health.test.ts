/**
 * `GET /healthz?storage`: the deep health check asks D1 once, and says 503 `unavailable` (never
 * hangs, never 500) when D1 fails or does not answer in time; plain `/healthz` never touches D1.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import app from '../../worker/index';
import { HEALTH_DEADLINE_MS } from '../../worker/services/health';
import { faultyD1 } from './faulty-d1';

const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;
const health = (path: string, DB: D1Database = env.DB) => app.fetch(new Request(`http://edge.test${path}`), { ...env, DB }, ctx);

describe('GET /healthz?storage', () => {
  it('answers ok once D1 has answered', async () => {
    const res = await health('/healthz?storage');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, localDev: true, storage: 'ok' });
  });

  it('a failing D1 answers 503 unavailable with Retry-After', async () => {
    const res = await health('/healthz?storage', faultyD1('fail'));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unavailable');
  });

  it('a D1 slower than the deadline answers 503 at the deadline', async () => {
    const started = Date.now();
    const res = await health('/healthz?storage', faultyD1('slow', HEALTH_DEADLINE_MS + 3000));
    expect(res.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(HEALTH_DEADLINE_MS + 1500);
  });

  it('plain /healthz answers without D1', async () => {
    const res = await health('/healthz', faultyD1('fail'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, localDev: true });
  });
});
