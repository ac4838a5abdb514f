/**
 * @module
 * JSON Web Tokens through `jose`, a kept library: verifying the site's identify tokens and
 * signing/verifying the admin's short-lived preview tokens. Only HS256 is accepted, so
 * `alg: none`, HS512 or RS/HS confusion tokens never pass, however well formed.
 */
import { errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';

const encoder = new TextEncoder();

/** Clock difference tolerated between the site's server and the edge. */
export const JWT_LEEWAY_SECONDS = 60;
/** Identify tokens are short-lived: a token that leaks stops working within a day at worst. */
export const MAX_IDENTIFY_LIFETIME_SECONDS = 24 * 60 * 60;

/**
 * Signs a payload as an HS256 JWT (`iat` is added when missing).
 * @example
 *   const token = await signJwt({ sub: 'm-1', exp: Math.floor(Date.now() / 1000) + 600 }, secret);
 */
export async function signJwt(payload: Record<string, unknown>, secret: string): Promise<string> {
  const claims: JWTPayload = { iat: Math.floor(Date.now() / 1000), ...payload };
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(encoder.encode(secret));
}

export type JwtResult = { ok: true; payload: Record<string, unknown> } | { ok: false; reason: string };

function reasonOf(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'token expired';
  if (err instanceof errors.JOSEAlgNotAllowed) return 'only HS256 tokens are accepted';
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'bad signature';
  if (err instanceof errors.JWTClaimValidationFailed) return `${err.claim}: ${err.reason === 'missing' ? 'is required' : 'is invalid'}`;
  return 'malformed token';
}

/**
 * Verifies signature, algorithm (HS256 only) and time claims with a 60 s leeway. `exp` is always
 * required; `required` lists further claims that must be present.
 * @example
 *   const r = await verifyJwt(token, secret, Date.now(), ['sub', 'iat']);
 *   if (!r.ok) throw new ApiError(401, 'invalid_token', r.reason);
 */
export async function verifyJwt(token: string, secret: string, now: number, required: string[] = []): Promise<JwtResult> {
  try {
    const { payload } = await jwtVerify(token, encoder.encode(secret), {
      algorithms: ['HS256'],
      clockTolerance: JWT_LEEWAY_SECONDS,
      currentDate: new Date(now),
      requiredClaims: ['exp', ...required],
    });
    return { ok: true, payload: payload as Record<string, unknown> };
  } catch (err) {
    return { ok: false, reason: reasonOf(err) };
  }
}

/**
 * Identify tokens: HS256 with `sub`, `exp` and `iat`; at most 24 h between `iat` and `exp`;
 * `iat` not in the future; an optional `vid` claim binds the token to one browser's visitor id.
 * @example
 *   const r = await verifyIdentifyToken(token, secret, Date.now(), visitorId);
 */
export async function verifyIdentifyToken(token: string, secret: string, now: number, visitorId: string): Promise<JwtResult> {
  const r = await verifyJwt(token, secret, now, ['sub', 'iat']);
  if (!r.ok) return r;
  const { iat, exp, vid } = r.payload;
  if (typeof iat !== 'number' || typeof exp !== 'number') return { ok: false, reason: 'iat and exp must be numbers' };
  if (iat - JWT_LEEWAY_SECONDS > Math.floor(now / 1000)) return { ok: false, reason: 'iat is in the future' };
  if (exp - iat > MAX_IDENTIFY_LIFETIME_SECONDS) return { ok: false, reason: 'lifetime (exp - iat) must be at most 24 hours' };
  if (vid !== undefined && vid !== visitorId) return { ok: false, reason: 'vid does not match this visitor' };
  return r;
}
