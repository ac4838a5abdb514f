/**
 * Rate limits (Workers rate limiting bindings from wrangler.toml: 120 per visitor and 1200 per
 * client address per 60 s window): a replaying script gets a clear 429 with Retry-After, and
 * others are unaffected. Windows are fixed, so each test keeps sending until it is limited,
 * up to twice the limit (a run that straddles a window boundary still crosses it).
 */
import { describe, expect, it } from 'vitest';
import { count, json, pageView, post, vid } from './helpers';

describe('rate limits', () => {
  it('per visitor: past the limit → 429 with Retry-After, nothing stored for the refused requests', { timeout: 60_000 }, async () => {
    const v = vid('flood');
    // A profile token of this visitor: a refused decide that would read nothing must store nothing either.
    const first = await json(await post('/v1/decide', { visitorId: v, slots: ['hero'], events: [pageView()] }));
    expect(first.token).toEqual(expect.any(String));
    let ok = 1;
    let limited = 0;
    for (let i = 0; i < 240 && !limited; i++) {
      const status = (await post('/v1/collect', { visitorId: v, events: [pageView()] })).status;
      if (status === 200) ok++;
      else if (status === 429) limited++;
      else throw new Error(`unexpected ${status}`);
    }
    expect(limited).toBe(1);
    expect(ok).toBeGreaterThanOrEqual(120);
    const res = await post('/v1/decide', { visitorId: v, slots: ['hero'], events: [pageView()] });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('60');
    expect((await json(res)).error.code).toBe('rate_limited');
    // The check runs beside the decide's work, but the queue send waits for it: refused, nothing queued.
    const withToken = await post('/v1/decide', { visitorId: v, slots: ['hero'], events: [pageView()], token: first.token });
    expect(withToken.status).toBe(429);
    expect((await json(withToken)).error.code).toBe('rate_limited');
    expect(await count('events', 'visitor_id = ?', v)).toBe(ok);
    // Someone else is not affected.
    expect((await post('/v1/collect', { visitorId: vid('other'), events: [pageView()] })).status).toBe(200);
  });

  it('per client address', { timeout: 90_000 }, async () => {
    let limited = 0;
    let sent = 0;
    while (!limited && sent < 2400) {
      const batch = await Promise.all(
        Array.from({ length: 50 }, () =>
          post('/v1/decide', { visitorId: vid('ip'), slots: ['hero'] }, { 'cf-connecting-ip': '203.0.113.9' }).then((r) => r.status),
        ),
      );
      sent += batch.length;
      limited = batch.filter((s) => s === 429).length;
      expect(batch.every((s) => s === 200 || s === 429)).toBe(true);
    }
    expect(limited).toBeGreaterThan(0);
    expect(sent).toBeGreaterThan(1200);
    // A different address is unaffected.
    expect((await post('/v1/decide', { visitorId: vid('ip2'), slots: ['hero'] }, { 'cf-connecting-ip': '198.51.100.7' })).status).toBe(200);
  });
});
