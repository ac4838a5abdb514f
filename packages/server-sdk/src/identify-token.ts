/**
 * @module
 * Identify tokens for `dashiwake.identify(token)`: HS256 JWTs signed with IDENTIFY_SECRET on your
 * server after sign-in. WebCrypto only, so it runs in Node ≥ 20, Workers, Deno and Bun.
 */
import type { Traits } from './types';

export interface IdentifyClaims {
  /** Your member id. Never an email address: it travels to the browser. */
  sub: string;
  /** What segments need (industry, employees, …), nothing more. */
  traits?: Traits;
  /** The browser's visitor id (`dashiwake.visitorId()`): binds the token to that browser. */
  vid?: string;
  /** Lifetime in seconds; the edge refuses more than 24 h. Default 10 minutes. */
  ttlSeconds?: number;
}

const encoder = new TextEncoder();
const base64url = (bytes: Uint8Array) => {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};
const part = (value: unknown) => base64url(encoder.encode(JSON.stringify(value)));

/**
 * @example
 *   const token = await signIdentifyToken({ sub: 'm-42', traits: { industry: 'SaaS', employees: 120 } }, process.env.DW_IDENTIFY_SECRET!);
 */
export async function signIdentifyToken(claims: IdentifyClaims, secret: string, now = Date.now()): Promise<string> {
  const iat = Math.floor(now / 1000);
  const ttl = Math.min(claims.ttlSeconds ?? 600, 24 * 60 * 60);
  const payload: Record<string, unknown> = { sub: claims.sub, iat, exp: iat + ttl };
  if (claims.traits) payload.traits = claims.traits;
  if (claims.vid) payload.vid = claims.vid;
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(payload)}`;
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(unsigned)));
  return `${unsigned}.${base64url(signature)}`;
}
