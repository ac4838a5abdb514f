/**
 * Bound identity: identify tokens must carry `iat`, live at most 24 h and (with `vid`) belong to
 * the browser presenting them; identify rotates the visitor id so an id known before sign-in does
 * not follow the member; only HS256 is accepted.
 */
import { env } from 'cloudflare:workers';
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { VisitorId } from '../../worker/schema/api';
import { count, eid, expireRotation, identifyToken, json, loadDemo, pageView, post, signIn, vid, visitor } from './helpers';

beforeAll(loadDemo);

const SECRET = 'dev-identify-secret';
const nowSeconds = () => Math.floor(Date.now() / 1000);
const b64url = (o: unknown) => btoa(JSON.stringify(o)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

function sign(claims: Record<string, unknown>, alg = 'HS256', secret = SECRET) {
  return new SignJWT(claims).setProtectedHeader({ alg, typ: 'JWT' }).sign(new TextEncoder().encode(secret));
}

async function identifyWith(token: string, visitorId = vid('tok')) {
  await post('/v1/collect', { visitorId, events: [pageView()] });
  const res = await post('/v1/identify', { visitorId, token });
  return { res, visitorId, body: await json(res) };
}

describe('identify tokens', () => {
  it.each([
    ['no iat', () => sign({ sub: 'm-tok', exp: nowSeconds() + 600 })],
    ['no exp', () => sign({ sub: 'm-tok', iat: nowSeconds() })],
    ['no sub', () => sign({ iat: nowSeconds(), exp: nowSeconds() + 600 })],
    ['a lifetime over 24 h', () => sign({ sub: 'm-tok', iat: nowSeconds(), exp: nowSeconds() + 25 * 3600 })],
    ['iat in the future', () => sign({ sub: 'm-tok', iat: nowSeconds() + 3600, exp: nowSeconds() + 7200 })],
    ['expired beyond the 60 s leeway', () => sign({ sub: 'm-tok', iat: nowSeconds() - 600, exp: nowSeconds() - 61 })],
    ['a vid of another browser', () => sign({ sub: 'm-tok', vid: 'someone-elses-visitor-id', iat: nowSeconds(), exp: nowSeconds() + 600 })],
    ['HS512, correctly signed with the same secret', () => sign({ sub: 'm-tok', iat: nowSeconds(), exp: nowSeconds() + 600 }, 'HS512')],
    [
      'alg none, well formed',
      async () => `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ sub: 'm-tok', iat: nowSeconds(), exp: nowSeconds() + 600 })}.`,
    ],
    ['a wrong secret', () => sign({ sub: 'm-tok', iat: nowSeconds(), exp: nowSeconds() + 600 }, 'HS256', 'not-the-secret')],
  ])('%s → 401 invalid_token, nothing linked', async (_label, make) => {
    const { res, visitorId, body } = await identifyWith(await make());
    expect(res.status).toBe(401);
    expect(body.error.code).toBe('invalid_token');
    expect((await visitor(visitorId)).memberId).toBeNull();
    expect(await count('members', 'id = ?', 'm-tok')).toBe(0);
  });

  it('accepts expiry within the 60 s leeway, and a vid equal to the presenting browser', async () => {
    const v = vid('leeway');
    const token = await sign({ sub: `m-${v}`, vid: v, iat: nowSeconds() - 600, exp: nowSeconds() - 30 });
    const { res } = await identifyWith(token, v);
    expect(res.status).toBe(200);
  });
});

describe('identify rotates the visitor id', () => {
  it('answers a new visitor id linked to the member; the old one stops leading to the member', async () => {
    const old = vid('rot');
    const memberId = `m-${old}`;
    await post('/v1/collect', { visitorId: old, events: [{ id: eid(), type: 'download', props: { asset: 'a', kind: 'whitepaper' } }] });
    const res = await post('/v1/identify', { visitorId: old, token: await identifyToken(memberId, { industry: 'SaaS', employees: 120 }) });
    const body = await json(res);
    expect(body).toMatchObject({ memberId, visitorId: expect.any(String) });
    expect(body.visitorId).not.toBe(old);
    expect(VisitorId.safeParse(body.visitorId).success).toBe(true);
    expect(await visitor(body.visitorId)).toMatchObject({ memberId, score: 30, traits: { industry: 'SaaS' } });

    // Requests the browser sent before adopting the new id still land on the member for a while…
    await post('/v1/collect', { visitorId: old, events: [pageView()] });
    expect((await visitor(body.visitorId)).score).toBe(31);

    // …then the old id is an anonymous browser: no traits, no segment, no effect on the member.
    await expireRotation(old);
    const decided = await json(await post('/v1/decide', { visitorId: old, slots: ['hero', 'cta'], events: [pageView('pricing')] }));
    expect(decided.segment).toBeNull();
    expect(await visitor(old)).toMatchObject({ memberId: null, traits: {}, score: 4 });
    expect((await visitor(body.visitorId)).score).toBe(31);
  });

  it('a planted id: identify of a member from a browser whose id someone else knows leaves that id with nothing', async () => {
    const planted = vid('planted');
    const memberId = `m-${planted}`;
    const fresh = await signIn(planted, memberId, { industry: 'SaaS', employees: 120 });
    await post('/v1/collect', { visitorId: fresh, events: [{ id: eid(), type: 'seminar_signup', props: { seminar: 'dx' } }] });
    await expireRotation(planted);
    // The attacker's copy of the id learns nothing about the member and cannot write to it.
    expect(await visitor(planted)).toMatchObject({ memberId: null, traits: {} });
    await post('/v1/collect', { visitorId: planted, events: [{ id: eid(), type: 'form_inquiry', props: { form: 'spam' } }] });
    expect((await visitor(fresh)).score).toBe(20);
  });

  it('event ids stay deduplicated across the rotation (a resend under the new id is not counted twice)', async () => {
    const old = vid('resend');
    const e = { id: eid(), type: 'download', props: { asset: 'a', kind: 'whitepaper' } };
    await post('/v1/collect', { visitorId: old, events: [e] });
    const fresh = await signIn(old, `m-${old}`);
    const again = await json(await post('/v1/collect', { visitorId: fresh, events: [e] }));
    expect(again).toMatchObject({ accepted: 0, duplicates: 1 });
    expect((await visitor(fresh)).score).toBe(30);
  });
});

describe('event ids are unique per subject', () => {
  it('a browser cannot pre-claim the id a server event will use', async () => {
    const v = vid('claim');
    const memberId = `m-${v}`;
    const fresh = await signIn(v, memberId);
    const id = eid('crm');
    await post('/v1/collect', { visitorId: fresh, events: [{ id, type: 'login' }] });
    const server = await post(
      '/v1/server/collect',
      { memberId, events: [{ id, type: 'seminar_attend', props: { seminar: 'dx' } }] },
      { authorization: 'Bearer dev-server-key' },
    );
    expect(await json(server)).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(await count('events', 'id = ?', id)).toBe(2);
    const row = await env.DB.prepare(`SELECT type FROM events WHERE id = ? AND subject = ?`).bind(id, `m:${memberId}`).first();
    expect(row).toEqual({ type: 'seminar_attend' });
  });
});
