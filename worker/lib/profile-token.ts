/**
 * @module
 * Signing and reading profile tokens (the claims are worker/core/profile-token.ts). A token is
 * `<base64url JSON claims>.<base64url HMAC-SHA-256 of that text, first 16 bytes>`, signed with
 * `PROFILE_SECRET`, a secret of its own: the browser carries it, so nothing else the worker
 * signs (previews, identify tokens) may share its key. Without a usable secret the worker issues
 * and accepts no tokens, and every decide reads as before (a decide never answers an error).
 */
import type { Env } from '../env';
import { TOKEN_MAX_BYTES, type TokenClaims } from '../core/profile-token';
import { secretProblem } from './secrets';
import { base64urlToText, bytesToBase64url, textToBase64url } from '../core/base64';

const keys = new Map<string, Promise<CryptoKey>>();
const encoder = new TextEncoder();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    keys.set(secret, key);
  }
  return key;
}

/** The secret tokens are signed with, or null when this deployment has none usable. */
export function profileSecret(env: Env): string | null {
  return secretProblem(env, 'PROFILE_SECRET') ? null : (env.PROFILE_SECRET as string);
}

async function mac(secret: string, body: string): Promise<string> {
  const sig = new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(secret), encoder.encode(body)));
  return bytesToBase64url(sig.subarray(0, 16));
}

/**
 * The signed token, or null when it would be larger than `TOKEN_MAX_BYTES`.
 * @example const token = await signProfileToken(secret, claims);
 */
export async function signProfileToken(secret: string, claims: TokenClaims): Promise<string | null> {
  const body = textToBase64url(JSON.stringify(claims));
  const token = `${body}.${await mac(secret, body)}`;
  return token.length <= TOKEN_MAX_BYTES ? token : null;
}

/**
 * The claims of a token this secret signed, or null (malformed, too long, or not signed by it).
 * The comparison of signatures runs in constant time.
 * @example const claims = await readProfileToken(secret, body.token);
 */
export async function readProfileToken(secret: string, token: string): Promise<TokenClaims | null> {
  if (token.length > TOKEN_MAX_BYTES) return null;
  const dot = token.indexOf('.');
  if (dot < 1) return null;
  const body = token.slice(0, dot);
  const expected = await mac(secret, body);
  const given = token.slice(dot + 1);
  if (given.length !== expected.length) return null;
  let diff = 0;
  for (let i = 0; i < given.length; i++) diff |= given.charCodeAt(i) ^ expected.charCodeAt(i);
  if (diff !== 0) return null;
  try {
    const claims = JSON.parse(base64urlToText(body)) as TokenClaims;
    return claims && typeof claims === 'object' && typeof claims.v === 'string' && typeof claims.t === 'number' ? claims : null;
  } catch {
    return null;
  }
}
