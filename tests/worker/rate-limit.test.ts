/**
 * Rate limits (Workers rate limiting bindings from wrangler.toml): a replaying script gets a
 * clear 429 with Retry-After, other visitors are unaffected.
 */
import { describe, expect, it } from 'vitest';
import { count, json, pageView, post, vid } from './helpers';

describe('rate limits', () => {
  it('per visitor: past the limit → 429 with Retry-After, nothing stored for the refused requests', async () => {
    const v = vid('flood');
    const statuses: number[] = [];
    for (let i = 0; i < 130; i++) statuses.push((await post('/v1/collect', { visitorId: v, events: [pageView()] })).status);
    const ok = statuses.filter((s) => s === 200).length;
    expect(ok).toBeGreaterThanOrEqual(100);
    expect(statuses.filter((s) => s === 429).length).toBe(130 - ok);
    expect(statuses.at(-1)).toBe(429);
    const res = await post('/v1/decide', { visitorId: v, slots: ['hero'], events: [pageView()] });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('60');
    expect((await json(res)).error.code).toBe('rate_limited');
    expect(await count('events', 'visitor_id = ?', v)).toBe(ok);
    // Someone else is not affected.
    expect((await post('/v1/collect', { visitorId: vid('other'), events: [pageView()] })).status).toBe(200);
  });

  it('per client address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 1250; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: 50 }, () =>
          post('/v1/decide', { visitorId: vid('ip'), slots: ['hero'] }, { 'cf-connecting-ip': '203.0.113.9' }).then((r) => r.status),
        ),
      );
      statuses.push(...batch);
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    // A different address is unaffected.
    expect((await post('/v1/decide', { visitorId: vid('ip2'), slots: ['hero'] }, { 'cf-connecting-ip': '198.51.100.7' })).status).toBe(200);
  }, 60_000);
});
