/**
 * Input hardening of the public and server API: props are flat, stored URLs keep only what may
 * be stored, member ids read as they are, and a trait named like an Object method is just a key.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { SERVER, call, count, eid, json, loadDemo, post, vid } from './helpers';

beforeAll(loadDemo);

describe('flat props', () => {
  it.each([
    ['a nested object', { nested: { a: 1 } }],
    ['an array', { list: [1, 2] }],
    ['null', { nothing: null }],
    ['a string over 256 characters', { long: 'x'.repeat(257) }],
    ['deep nesting', JSON.parse(`${'{"o":'.repeat(500)}1${'}'.repeat(500)}`)],
  ])('%s rejects the event alone', async (_label, extra) => {
    const v = vid('flat');
    const body = await json(
      await post('/v1/collect', {
        visitorId: v,
        events: [
          { id: eid(), type: 'custom', props: { name: 'x', ...extra } },
          { id: eid(), type: 'login' },
        ],
      }),
    );
    expect(body).toMatchObject({ accepted: 1, rejected: [{ index: 0 }] });
  });

  it('a decide with deeply nested props still answers 200 with the page', async () => {
    const props = JSON.parse(`${'{"o":'.repeat(2000)}1${'}'.repeat(2000)}`);
    const res = await post('/v1/decide', { visitorId: vid('deep'), slots: ['hero'], events: [{ id: eid(), type: 'custom', props }] });
    expect(res.status).toBe(200);
    expect((await json(res)).rejected).toHaveLength(1);
  });

  it('strings, numbers and booleans are kept as sent', async () => {
    const v = vid('flat-ok');
    const id = eid();
    await post('/v1/collect', { visitorId: v, events: [{ id, type: 'custom', props: { name: 'x', n: 3, ok: true, s: '資料' } }] });
    const row = await env.DB.prepare('SELECT props FROM events WHERE id = ?').bind(id).first<{ props: string }>();
    expect(JSON.parse(row!.props)).toEqual({ name: 'x', n: 3, ok: true, s: '資料' });
  });
});

describe('stored page URLs', () => {
  it.each([
    ['https://www.example.co.jp/reset?token=secret&email=a%40b.jp#top', 'https://www.example.co.jp/reset'],
    [
      'https://www.example.co.jp/lp?utm_source=mail&utm_campaign=dx&gclid=x',
      'https://www.example.co.jp/lp?utm_source=mail&utm_campaign=dx',
    ],
    ['/pricing?member=42', '/pricing'],
  ])('%s is stored as %s', async (url, stored) => {
    const v = vid('url');
    await post('/v1/decide', { visitorId: v, url, slots: ['hero'], events: [{ id: eid(), type: 'page_view', props: {} }] });
    await post('/v1/collect', { visitorId: v, events: [{ id: eid(), type: 'download', url, props: { asset: 'a' } }] });
    const rows = await env.DB.prepare('SELECT url FROM events WHERE visitor_id = ?').bind(v).all<{ url: string }>();
    expect(rows.results.map((r) => r.url)).toEqual([stored, stored]);
  });
});

describe('member ids', () => {
  it.each([
    ['a bidi override', 'm-\u202Eevil'],
    ['a zero-width space', 'm-\u200Bx'],
    ['a control character', 'm-\u0007x'],
  ])('%s → 400, nothing stored', async (_label, memberId) => {
    const res = await post('/v1/server/collect', { memberId, events: [{ id: eid(), type: 'login' }] }, SERVER);
    expect(res.status).toBe(400);
    expect(await count('members', 'id = ?', memberId)).toBe(0);
    const put = await call('PUT', `/v1/server/members/${encodeURIComponent(memberId)}`, { traits: { a: 1 } }, SERVER);
    expect(put.status).toBe(400);
  });
});
