/**
 * Bad input and auth: every malformed request gets the contract's JSON error and writes nothing.
 */
import { exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, SERVER, call, count, eid, json, loadDemo, pageView, post, vid } from './helpers';

beforeAll(loadDemo);

async function tableCounts() {
  const tables = ['visitors', 'members', 'events', 'exposures', 'conversions'];
  return Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await count(t)])));
}

const v = 'bad-input-visitor-0001';
const badRequests: [string, string, string, unknown, number, string][] = [
  ['decide: not JSON', 'POST', '/v1/decide', '{"visitorId":', 400, 'invalid_json'],
  ['decide: body is an array', 'POST', '/v1/decide', [], 400, 'invalid_request'],
  ['decide: short visitor id', 'POST', '/v1/decide', { visitorId: 'abc', slots: ['hero'] }, 400, 'invalid_request'],
  [
    'decide: visitor id with bad characters',
    'POST',
    '/v1/decide',
    { visitorId: 'a'.repeat(15) + '<', slots: ['hero'] },
    400,
    'invalid_request',
  ],
  ['decide: no slots', 'POST', '/v1/decide', { visitorId: v, slots: [] }, 400, 'invalid_request'],
  [
    'decide: 21 slots',
    'POST',
    '/v1/decide',
    { visitorId: v, slots: Array.from({ length: 21 }, (_, i) => `s${i}`) },
    400,
    'invalid_request',
  ],
  [
    'decide: 51 events',
    'POST',
    '/v1/decide',
    { visitorId: v, slots: ['hero'], events: Array.from({ length: 51 }, () => pageView()) },
    400,
    'invalid_request',
  ],
  ['decide: slots not an array', 'POST', '/v1/decide', { visitorId: v, slots: 'hero' }, 400, 'invalid_request'],
  ['collect: no events', 'POST', '/v1/collect', { visitorId: v, events: [] }, 400, 'invalid_request'],
  ['collect: events not an array', 'POST', '/v1/collect', { visitorId: v, events: { id: 'x' } }, 400, 'invalid_request'],
  ['identify: no token', 'POST', '/v1/identify', { visitorId: v }, 400, 'invalid_request'],
  ['admin lookup: unknown visitor', 'GET', '/api/visitors/nobody-has-this-id-0000', undefined, 404, 'not_found'],
  ['admin lookup: invalid id', 'GET', '/api/visitors/x', undefined, 400, 'invalid_request'],
  ['unknown route', 'GET', '/v1/nothing', undefined, 404, 'not_found'],
  ['admin write: not JSON', 'PUT', '/api/scoring', '{"rules": [', 400, 'invalid_json'],
  ['admin write: over 64 KB', 'POST', '/api/segments', JSON.stringify({ key: 'big', pad: 'x'.repeat(70_000) }), 413, 'payload_too_large'],
  ['server write: not JSON', 'POST', '/v1/server/collect', 'nope', 400, 'invalid_json'],
];

describe('malformed requests', () => {
  it.each(badRequests)('%s → %i %s, nothing stored', async (_l, method, path, body, status, code) => {
    const before = await tableCounts();
    const res = await call(method, path, body, path.startsWith('/v1/server') ? SERVER : ADMIN);
    expect(res.status).toBe(status);
    const err = await json(res);
    expect(err.error.code).toBe(code);
    expect(typeof err.error.message).toBe('string');
    expect(await tableCounts()).toEqual(before);
  });

  it('validation errors list the issues with their paths', async () => {
    const err = await json(await post('/v1/decide', { visitorId: 'abc', slots: [] }));
    const paths = err.error.issues.map((i: { path: string[] }) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['visitorId', 'slots']));
  });

  it('a body over 64 KB → 413, nothing stored', async () => {
    const before = await tableCounts();
    const big = { visitorId: vid(), events: [{ id: eid(), type: 'custom', props: { name: 'x', pad: 'y'.repeat(70_000) } }] };
    const res = await post('/v1/collect', big);
    expect(res.status).toBe(413);
    expect((await json(res)).error.code).toBe('payload_too_large');
    expect(await tableCounts()).toEqual(before);
  });

  it('a body over 64 KB is refused whatever Content-Length says, or with none (streamed)', async () => {
    const before = await tableCounts();
    const big = JSON.stringify({
      visitorId: vid(),
      events: [{ id: eid(), type: 'custom', props: { name: 'x', pad: 'y'.repeat(70_000) } }],
    });
    // A request made in code may declare a small length and carry more.
    const lying = await post('/v1/collect', big, { 'content-length': '100' });
    expect(lying.status).toBe(413);
    // A stream has no declared length: bytes are counted as they come.
    const bytes = new TextEncoder().encode(big);
    const streamed = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 8_192) controller.enqueue(bytes.subarray(i, i + 8_192));
        controller.close();
      },
    });
    const res = await exports.default.fetch(
      new Request('http://edge.test/v1/collect', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: streamed }),
    );
    expect(res.status).toBe(413);
    expect(await tableCounts()).toEqual(before);
    // Under the cap, a declared length reads the body as it is.
    const ok = JSON.stringify({ visitorId: vid(), events: [pageView()] });
    expect((await post('/v1/collect', ok, { 'content-length': String(new TextEncoder().encode(ok).length) })).status).toBe(200);
  });

  it('props over 2 KB reject the event alone', async () => {
    const visitorId = vid('props');
    const body = await json(
      await post('/v1/collect', {
        visitorId,
        events: [
          {
            id: eid(),
            type: 'custom',
            props: { name: 'x', ...Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`pad${i}`, 'y'.repeat(200)])) },
          },
          pageView(),
        ],
      }),
    );
    expect(body.accepted).toBe(1);
    expect(body.rejected[0]).toMatchObject({ index: 0 });
    expect(body.rejected[0].error).toContain('2 KB');
  });
});

describe('auth', () => {
  it.each([
    ['admin API without a token', 'GET', '/api/visitors/abcdefghijklmnop', undefined, {}],
    ['admin API with a wrong token', 'GET', '/api/visitors/abcdefghijklmnop', undefined, { authorization: 'Bearer nope' }],
    ['admin API with the server key', 'GET', '/api/visitors/abcdefghijklmnop', undefined, SERVER],
    ['server API without a key', 'POST', '/v1/server/collect', { memberId: 'm1', events: [pageView()] }, {}],
    ['server API with the admin token', 'POST', '/v1/server/collect', { memberId: 'm1', events: [pageView()] }, ADMIN],
    ['server erase without a key', 'DELETE', '/v1/server/members/m1', undefined, {}],
    ['server traits with a wrong key', 'PUT', '/v1/server/members/m1', { traits: { a: 1 } }, { authorization: 'Bearer dev-server-kez' }],
  ])('%s → 401, nothing stored', async (_l, method, path, body, headers) => {
    const before = await tableCounts();
    const res = await call(method, path, body, headers as Record<string, string>);
    expect(res.status).toBe(401);
    expect((await json(res)).error.code).toBe('unauthorized');
    expect(await tableCounts()).toEqual(before);
  });
});

describe('origins', () => {
  it('answers CORS for an allowed origin (any in local dev)', async () => {
    const res = await call('POST', '/v1/decide', { visitorId: vid(), slots: ['hero'] }, { origin: 'https://customer.example' });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://customer.example');
  });
});
