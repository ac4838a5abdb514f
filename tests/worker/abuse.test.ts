/**
 * Abuse: score inflation by reloads or replays, and browser origins outside the allowed list.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import app from '../../worker/index';
import { count, eid, loadDemo, pageView, post, vid, visitor } from './helpers';

beforeAll(loadDemo);

describe('score inflation', () => {
  it('500 reloads of the pricing page in a day do not make a visitor hot', async () => {
    const v = vid('reload');
    for (let i = 0; i < 10; i++) {
      const res = await post('/v1/collect', { visitorId: v, events: Array.from({ length: 50 }, () => pageView('pricing')) });
      expect(res.status).toBe(200);
    }
    const s = await visitor(v);
    expect(s.score).toBeLessThan(80);
    expect(s.tier).not.toBe('hot');
    expect(await count('events', 'visitor_id = ?', v)).toBe(500);
  });

  it('20 ordinary page views in a day are scored exactly', async () => {
    const v = vid('normal');
    const events = [...Array.from({ length: 14 }, () => pageView()), ...Array.from({ length: 6 }, () => pageView('pricing'))];
    await post('/v1/collect', { visitorId: v, events });
    expect((await visitor(v)).score).toBe(14 + 6 * 4);
  });

  it('replaying one event id 30 times scores it once', async () => {
    const v = vid('replay');
    const e = { id: eid(), type: 'form_inquiry', props: { form: 'x' } };
    for (let i = 0; i < 30; i++) await post('/v1/collect', { visitorId: v, events: [e] });
    expect((await visitor(v)).score).toBe(50);
  });
});

describe('allowed origins per deployment', () => {
  const fetchWith = (origin: string, method = 'POST') =>
    app.fetch(
      new Request('http://edge.test/v1/decide', {
        method,
        headers: { origin, 'content-type': 'text/plain', 'access-control-request-method': 'POST' },
        body: method === 'POST' ? JSON.stringify({ visitorId: vid('origin'), slots: ['hero'], events: [pageView()] }) : undefined,
      }),
      { ...env, ALLOWED_ORIGINS: 'https://www.example.co.jp, https://shop.example.co.jp' },
      { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext,
    );

  it('an allowed origin gets CORS headers', async () => {
    const res = await fetchWith('https://shop.example.co.jp');
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example.co.jp');
  });

  it('exposes Retry-After, so the snippet on the site can wait before resending', async () => {
    const res = await fetchWith('https://shop.example.co.jp');
    expect(res.headers.get('access-control-expose-headers')).toContain('Retry-After');
  });

  it('another origin is refused with 403 and writes nothing', async () => {
    const before = await count('events');
    const res = await fetchWith('https://evil.example');
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('origin_not_allowed');
    expect(await count('events')).toBe(before);
  });

  it('a preflight from another origin gets no CORS grant', async () => {
    const res = await fetchWith('https://evil.example', 'OPTIONS');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('a preflight from an allowed origin is granted POST with a JSON body, cached for a day', async () => {
    const res = await fetchWith('https://www.example.co.jp', 'OPTIONS');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://www.example.co.jp');
    expect(res.headers.get('access-control-allow-methods')).toBe('POST,OPTIONS');
    expect(res.headers.get('access-control-allow-headers')).toBe('Content-Type');
    expect(res.headers.get('access-control-max-age')).toBe('86400');
    expect(res.headers.get('vary')).toContain('Origin');
  });

  it('an error answered to an allowed origin carries the CORS grant, so the snippet can read it', async () => {
    const res = await app.fetch(
      new Request('http://edge.test/v1/decide', {
        method: 'POST',
        headers: { origin: 'https://shop.example.co.jp', 'content-type': 'text/plain' },
        body: '{"visitorId": 1',
      }),
      { ...env, ALLOWED_ORIGINS: 'https://shop.example.co.jp' },
      { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext,
    );
    expect(res.status).toBe(400);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example.co.jp');
    expect(res.headers.get('vary')).toBe('Origin');
    expect(res.headers.get('content-type')).toContain('application/json');
  });
});
