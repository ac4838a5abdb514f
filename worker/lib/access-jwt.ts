/**
 * @module
 * Who is at the console, when it sits behind Cloudflare Access. Access puts the signed-in
 * person's email in `Cf-Access-Authenticated-User-Email` and a JWT vouching for it in
 * `Cf-Access-Jwt-Assertion`; only the JWT can be trusted (anything that reaches the worker
 * without passing Access, e.g. its workers.dev address, can send any header). So the JWT is
 * verified — RS256 against the team's published keys, the application's audience tag, the
 * team as issuer, its lifetime — and the identity is taken from it; the plain header must agree.
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';

const ACCESS_HOST = '.cloudflareaccess.com';

/**
 * The team's Access origin from `ACCESS_TEAM_DOMAIN` ("acme", "acme.cloudflareaccess.com" or
 * its https URL), or null when it is not one.
 * @example teamOrigin('acme.cloudflareaccess.com') // 'https://acme.cloudflareaccess.com'
 */
export function teamOrigin(teamDomain: string | undefined): string | null {
  const host = (teamDomain ?? '')
    .trim()
    .toLowerCase()
    .replace(/^https:\/\//, '')
    .replace(/\/+$/, '');
  const team = host.endsWith(ACCESS_HOST) ? host.slice(0, -ACCESS_HOST.length) : host;
  return /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(team) ? `https://${team}${ACCESS_HOST}` : null;
}

const keySets = new Map<string, JWTVerifyGetKey>();

/**
 * The team's signing keys, fetched from `/cdn-cgi/access/certs` and cached by `jose` per
 * isolate (refetched when a token names a key it has not seen: Access rotates its keys).
 */
export function accessKeys(origin: string): JWTVerifyGetKey {
  let keys = keySets.get(origin);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(`${origin}/cdn-cgi/access/certs`));
    keySets.set(origin, keys);
  }
  return keys;
}

export type AccessFailure =
  | 'missing'
  | 'malformed'
  | 'signature'
  | 'expired'
  | 'audience'
  | 'issuer'
  | 'no_identity'
  | 'email_mismatch'
  | 'keys_unavailable';
export type AccessResult = { ok: true; actor: string } | { ok: false; reason: AccessFailure };

export interface AccessCheck {
  /** The Access application's audience tag(s). */
  audience: string[];
  /** The team origin (`https://<team>.cloudflareaccess.com`), the tokens' issuer. */
  issuer: string;
  keys: JWTVerifyGetKey;
  now?: number;
}

function failureOf(err: unknown): AccessFailure {
  if (err instanceof errors.JWTExpired) return 'expired';
  if (err instanceof errors.JWTClaimValidationFailed)
    return err.claim === 'aud' ? 'audience' : err.claim === 'iss' ? 'issuer' : 'malformed';
  if (
    err instanceof errors.JWSSignatureVerificationFailed ||
    err instanceof errors.JWKSNoMatchingKey ||
    err instanceof errors.JOSEAlgNotAllowed
  )
    return 'signature';
  // The key set could not be fetched or read: a network error, a timeout, a non-200 answer
  // (jose's generic error), or not a key set.
  if (
    !(err instanceof errors.JOSEError) ||
    err.code === 'ERR_JOSE_GENERIC' ||
    err instanceof errors.JWKSTimeout ||
    err instanceof errors.JWKSInvalid
  ) {
    return 'keys_unavailable';
  }
  return 'malformed';
}

/**
 * The verified identity: the person's email, or `service-token:<client id>` for an Access
 * service token (which has no email).
 * @example
 *   const r = await verifyAccess(jwtHeader, emailHeader, {audience: [aud], issuer, keys: accessKeys(issuer)});
 *   if (r.ok) actor = r.actor;
 */
export async function verifyAccess(token: string | undefined, emailHeader: string | undefined, check: AccessCheck): Promise<AccessResult> {
  if (!token) return { ok: false, reason: 'missing' };
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, check.keys, {
      algorithms: ['RS256'],
      audience: check.audience,
      issuer: check.issuer,
      requiredClaims: ['exp', 'aud', 'iss'],
      clockTolerance: 60,
      ...(check.now !== undefined ? { currentDate: new Date(check.now) } : {}),
    }));
  } catch (err) {
    return { ok: false, reason: failureOf(err) };
  }
  const email = typeof payload.email === 'string' ? payload.email.trim() : '';
  if (email) {
    if (emailHeader && emailHeader.trim().toLowerCase() !== email.toLowerCase()) return { ok: false, reason: 'email_mismatch' };
    return { ok: true, actor: email };
  }
  const client = typeof payload.common_name === 'string' ? payload.common_name.trim() : '';
  if (client && !emailHeader) return { ok: true, actor: `service-token:${client}` };
  return { ok: false, reason: 'no_identity' };
}
