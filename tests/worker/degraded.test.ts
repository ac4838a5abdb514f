/**
 * Fail open for visitors, closed for data: with storage broken (its tables gone — this file's
 * D1 is isolated), decide still answers 200 with default content and `degraded: true`, and
 * collect answers 503 with Retry-After so the snippet keeps its events.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { json, loadDemo, pageView, post, vid } from './helpers';
import { invalidateConfig } from '../../worker/services/config-store';

beforeAll(async () => {
  await loadDemo();
  await env.DB.batch([env.DB.prepare('DROP TABLE visitors'), env.DB.prepare('DROP TABLE events')]);
  invalidateConfig();
});

describe('storage failure', () => {
  it('decide → 200, every slot null, degraded', async () => {
    const v = vid('down');
    const res = await post('/v1/decide', { visitorId: v, slots: ['hero', 'cta'], events: [pageView()] });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ visitorId: v, segment: null, slots: { hero: null, cta: null }, degraded: true });
  });

  it('collect → 503 with Retry-After', async () => {
    const res = await post('/v1/collect', { visitorId: vid('down'), events: [pageView()] });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect((await json(res)).error.code).toBe('unavailable');
  });

  it('bad input is still a 400, not hidden behind degraded', async () => {
    const res = await post('/v1/decide', { visitorId: 'x', slots: ['hero'] });
    expect(res.status).toBe(400);
  });
});
