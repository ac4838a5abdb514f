/**
 * @module
 * HS256 JSON Web Tokens with WebCrypto: verifying the site's identify tokens (CONTRACT §4) and
 * signing the admin's short-lived preview tokens. Only HS256 is accepted, so an `alg: none`
 * or RS/HS confusion token can never pass.
 */

const encoder = new TextEncoder();

function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('bad base64url');
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const raw = atob(padded);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

const keys = new Map<string, Promise<CryptoKey>>();
function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    keys.set(secret, key);
  }
  return key;
}

/**
 * Signs a payload as an HS256 JWT.
 * @example
 *   const token = await signJwt({ sub: 'm-1', exp: Math.floor(Date.now() / 1000) + 600 }, secret);
 */
export async function signJwt(payload: Record<string, unknown>, secret: string): Promise<string> {
  const head = base64url(encoder.encode(JSON.stringify({ alg: 'HS256', typ: 'JWT' })));
  const body = base64url(encoder.encode(JSON.stringify(payload)));
  const sig = await crypto.subtle.sign('HMAC', await hmacKey(secret), encoder.encode(`${head}.${body}`));
  return `${head}.${body}.${base64url(new Uint8Array(sig))}`;
}

export type JwtResult = { ok: true; payload: Record<string, unknown> } | { ok: false; reason: string };

/**
 * Verifies signature, algorithm and time claims (`exp` required, `nbf` honoured, 60 s leeway).
 * @example
 *   const r = await verifyJwt(token, env.IDENTIFY_SECRET, Date.now());
 *   if (!r.ok) throw new ApiError(401, 'invalid_token', r.reason);
 */
export async function verifyJwt(token: string, secret: string, now: number): Promise<JwtResult> {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed token' };
  const [head, body, sig] = parts as [string, string, string];
  let header: Record<string, unknown>;
  let payload: Record<string, unknown>;
  let signature: Uint8Array<ArrayBuffer>;
  try {
    header = JSON.parse(new TextDecoder().decode(fromBase64url(head)));
    payload = JSON.parse(new TextDecoder().decode(fromBase64url(body)));
    signature = fromBase64url(sig);
  } catch {
    return { ok: false, reason: 'malformed token' };
  }
  if (header.alg !== 'HS256') return { ok: false, reason: 'only HS256 tokens are accepted' };
  if (typeof payload !== 'object' || payload === null) return { ok: false, reason: 'malformed token' };
  const valid = await crypto.subtle.verify('HMAC', await hmacKey(secret), signature, encoder.encode(`${head}.${body}`));
  if (!valid) return { ok: false, reason: 'bad signature' };
  const leeway = 60;
  const seconds = Math.floor(now / 1000);
  if (typeof payload.exp !== 'number') return { ok: false, reason: 'exp is required' };
  if (payload.exp + leeway < seconds) return { ok: false, reason: 'token expired' };
  if (typeof payload.nbf === 'number' && payload.nbf - leeway > seconds) return { ok: false, reason: 'token not yet valid' };
  return { ok: true, payload };
}
