import { describe, expect, it, beforeAll } from 'vitest';
import { call, json, loadDemo, pageView, post, vid } from './helpers';

beforeAll(loadDemo);

describe('decide smoke', () => {
  it('answers a fresh visitor with null slots', async () => {
    const v = vid();
    const res = await post('/v1/decide', { visitorId: v, slots: ['hero', 'cta'], events: [pageView()] });
    expect(res.status).toBe(200);
    const body = await json(res);
    // The token is the next page's profile (docs/storage.md#read-your-writes).
    expect(body).toEqual({
      visitorId: v,
      segment: null,
      slots: { hero: null, cta: null },
      token: expect.stringMatching(/^[\w-]+\.[\w-]{22}$/),
    });
  });
  it('health', async () => {
    expect((await call('GET', '/healthz')).status).toBe(200);
  });
});
