/**
 * The actor behind Cloudflare Access: with ACCESS_AUD set, an admin request must carry an Access
 * JWT that verifies (RS256, the team's keys, the application's audience, the team as issuer, not
 * expired) and the change log records the identity it vouches for. The team's key set is served
 * locally: the worker's fetch of https://<team>.cloudflareaccess.com/cdn-cgi/access/certs is
 * answered by this file with a key pair made here, so the real verification path runs.
 */
import { env } from 'cloudflare:workers';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import app from '../../worker/index';
import { ADMIN, json, loadDemo } from './helpers';

const AUD = 'a3f5c0ffee0000000000000000000000000000000000000000000000000000aa';
const TEAM = 'acme';
const ISSUER = 'https://acme.cloudflareaccess.com';
const KID = 'key-1';

let signingKey: CryptoKey;
let forgerKey: CryptoKey;
let jwks: { keys: JWK[] };
let certFetches = 0;

beforeAll(async () => {
  await loadDemo();
  const pair = await generateKeyPair('RS256', { extractable: true });
  signingKey = pair.privateKey;
  forgerKey = (await generateKeyPair('RS256')).privateKey;
  jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: KID, alg: 'RS256', use: 'sig' }] };
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url === `${ISSUER}/cdn-cgi/access/certs`) {
      certFetches++;
      return Response.json(jwks);
    }
    if (url.startsWith('https://down.cloudflareaccess.com/')) return new Response('unavailable', { status: 502 });
    return realFetch(input, init);
  });
});

afterAll(() => vi.restoreAllMocks());

const now = () => Math.floor(Date.now() / 1000);

function token(claims: Record<string, unknown> = {}, opts: { key?: CryptoKey; kid?: string } = {}) {
  return new SignJWT({ email: 'tanaka@example.co.jp', type: 'app', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? KID })
    .setAudience((claims.aud as string) ?? AUD)
    .setIssuer((claims.iss as string) ?? ISSUER)
    .setIssuedAt(now() - 10)
    .setExpirationTime((claims.exp as number) ?? now() + 3600)
    .sign(opts.key ?? signingKey);
}

const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;

function adminCall(method: string, path: string, headers: Record<string, string>, body?: unknown, over: Record<string, string> = {}) {
  const init: RequestInit = { method, headers: { ...ADMIN, 'content-type': 'application/json', ...headers } };
  if (body !== undefined) init.body = JSON.stringify(body);
  return app.fetch(
    new Request(`https://edge.example.jp/api${path}`, init),
    { ...env, ACCESS_AUD: AUD, ACCESS_TEAM_DOMAIN: TEAM, ...over },
    ctx,
  );
}

const viaAccess = async (jwt: string, email = 'tanaka@example.co.jp') => ({
  'cf-access-jwt-assertion': jwt,
  'cf-access-authenticated-user-email': email,
});

async function denied(headers: Record<string, string>, reason: string) {
  const res = await adminCall('GET', '/changes', headers);
  expect(res.status).toBe(403);
  const body = await json(res);
  expect(body.error).toMatchObject({ code: 'access_denied', params: { reason } });
}

describe('behind Cloudflare Access', () => {
  it('records the verified email as the actor of a change', async () => {
    const res = await adminCall('PUT', '/slots/cta', await viaAccess(await token()), { name: 'CTA（田中が変更）' });
    expect(res.status).toBe(200);
    const list = await json(await adminCall('GET', '/changes?entity=slot&entityId=cta', await viaAccess(await token())));
    expect(list.items[0]).toMatchObject({ actor: 'tanaka@example.co.jp', action: 'update', after: { name: 'CTA（田中が変更）' } });
    expect(certFetches).toBe(1);
  });

  it('records a service token by its client id', async () => {
    const jwt = await token({ email: undefined, common_name: 'ci-bot.access' });
    const res = await adminCall('PUT', '/slots/cta', { 'cf-access-jwt-assertion': jwt }, { name: 'CTA（CI）' });
    expect(res.status).toBe(200);
    const list = await json(await adminCall('GET', '/changes?entity=slot&entityId=cta', await viaAccess(await token())));
    expect(list.items[0].actor).toBe('service-token:ci-bot.access');
  });

  it('restores as the person restoring', async () => {
    const list = await json(await adminCall('GET', '/changes?entity=slot&entityId=cta', await viaAccess(await token())));
    const res = await adminCall(
      'POST',
      `/changes/${list.items[0].id}/restore`,
      await viaAccess(await token({ email: 'suzuki@example.co.jp' }), 'suzuki@example.co.jp'),
    );
    expect(res.status).toBe(200);
    expect((await json(res)).change).toMatchObject({ actor: 'suzuki@example.co.jp', action: 'restore' });
  });

  it('refuses a request without the JWT, even with the admin token and an email header', async () => {
    await denied({ 'cf-access-authenticated-user-email': 'boss@example.co.jp' }, 'missing');
  });

  it('refuses a token for another Access application (wrong audience)', async () => {
    await denied(await viaAccess(await token({ aud: 'another-application-aud' })), 'audience');
  });

  it('refuses an expired token', async () => {
    await denied(await viaAccess(await token({ exp: now() - 3600 })), 'expired');
  });

  it('refuses a forged token (signed with another key under the team’s key id)', async () => {
    await denied(await viaAccess(await token({}, { key: forgerKey })), 'signature');
    await denied(await viaAccess(await token({}, { key: forgerKey, kid: 'made-up' })), 'signature');
  });

  it('refuses a token of another team, an unsigned token and garbage', async () => {
    await denied(await viaAccess(await token({ iss: 'https://evil.cloudflareaccess.com' })), 'issuer');
    const header = btoa(JSON.stringify({ alg: 'none', typ: 'JWT' })).replace(/=+$/, '');
    const payload = btoa(JSON.stringify({ email: 'x@example.co.jp', aud: AUD, iss: ISSUER, exp: now() + 60 })).replace(/=+$/, '');
    await denied(await viaAccess(`${header}.${payload}.`), 'signature');
    await denied(await viaAccess('not-a-jwt'), 'malformed');
  });

  it('refuses an email header that is not the one the token vouches for', async () => {
    await denied(await viaAccess(await token(), 'boss@example.co.jp'), 'email_mismatch');
  });

  it('a refused request writes nothing', async () => {
    const before = (await env.DB.prepare('SELECT COUNT(*) AS n FROM changes').first<{ n: number }>())!.n;
    const res = await adminCall('PUT', '/slots/cta', await viaAccess(await token({ exp: now() - 3600 })), { name: 'expired' });
    expect(res.status).toBe(403);
    expect((await env.DB.prepare('SELECT COUNT(*) AS n FROM changes').first<{ n: number }>())!.n).toBe(before);
  });

  it('still needs the admin token', async () => {
    const res = await app.fetch(
      new Request('https://edge.example.jp/api/changes', { headers: await viaAccess(await token()) }),
      { ...env, ACCESS_AUD: AUD, ACCESS_TEAM_DOMAIN: TEAM },
      ctx,
    );
    expect(res.status).toBe(401);
  });

  it('answers 503 when the team is not configured or its keys cannot be fetched', async () => {
    const unset = await adminCall('GET', '/changes', await viaAccess(await token()), undefined, { ACCESS_TEAM_DOMAIN: '' });
    expect(unset.status).toBe(503);
    expect((await json(unset)).error.code).toBe('not_configured');
    const down = await adminCall('GET', '/changes', await viaAccess(await token({ iss: 'https://down.cloudflareaccess.com' })), undefined, {
      ACCESS_TEAM_DOMAIN: 'down.cloudflareaccess.com',
    });
    expect(down.status).toBe(503);
    expect((await json(down)).error.code).toBe('unavailable');
  });
});

describe('without ACCESS_AUD', () => {
  it('the actor is "admin-token", whatever headers say', async () => {
    const res = await adminCall('PUT', '/slots/hero', await viaAccess(await token()), { name: 'ヒーロー' }, { ACCESS_AUD: '' });
    expect(res.status).toBe(200);
    const list = await json(await adminCall('GET', '/changes?entity=slot&entityId=hero', {}, undefined, { ACCESS_AUD: '' }));
    expect(list.items[0].actor).toBe('admin-token');
  });
});
