/**
 * @module
 * The `dw_vid` cookie as the edge reads and writes it in rewrite mode. It is the same first-party
 * cookie the snippet keeps (two years, whole site, SameSite=Lax, readable by the snippet), so a
 * browser has one visitor id whichever of the two made it. The snippet writes "-" when the
 * visitor opted out or withdrew consent: the edge then neither decides nor makes a new id.
 */

/** What the snippet accepts as a visitor id (the public API's visitor id format). */
const VISITOR_ID = /^[A-Za-z0-9_-]{16,64}$/;
export const VISITOR_COOKIE = 'dw_vid';
/** Two years, as the snippet writes it. */
export const VISITOR_COOKIE_MAX_AGE = 63_072_000;

/**
 * Rewrite mode's profile token cookie (docs/edge-rewrite.md#returning-visitors-read-nothing): the
 * snippet keeps the token of the edge's last decision in it, and the edge's next page decides from
 * it without reading storage.
 */
export const TOKEN_COOKIE = 'dw_pt';
/** A token's shape (`<base64url>.<base64url>`); its size limit is the token's own (1 KB). */
const TOKEN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export type CookieVisitor = { kind: 'known'; visitorId: string } | { kind: 'none' } | { kind: 'opted_out' };

/**
 * The visitor a request's `Cookie` header names.
 * @example visitorFromCookies('a=1; dw_vid=abcdefghijklmnop0123') // { kind: 'known', visitorId: 'abcdefghijklmnop0123' }
 * @example visitorFromCookies('dw_vid=-') // { kind: 'opted_out' }
 */
export function visitorFromCookies(header: string | null | undefined): CookieVisitor {
  const value = cookieValue(header, VISITOR_COOKIE);
  if (value === '-') return { kind: 'opted_out' };
  return value && VISITOR_ID.test(value) ? { kind: 'known', visitorId: value } : { kind: 'none' };
}

/** The first value of cookie `name` in a `Cookie` header. */
function cookieValue(header: string | null | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq >= 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * The profile token a request's `Cookie` header carries, or null (none, or not token-shaped; its
 * signature is checked where it is used).
 * @example tokenFromCookies('dw_vid=abcdefghijklmnop0123; dw_pt=eyJ2Ijo.c2ln') // 'eyJ2Ijo.c2ln'
 */
export function tokenFromCookies(header: string | null | undefined): string | null {
  const value = cookieValue(header, TOKEN_COOKIE);
  return value && value.length <= 1024 && TOKEN.test(value) ? value : null;
}

/**
 * The `Set-Cookie` value for an id the edge made: first-party (no Domain, so the site's own host
 * only), the whole site, not HttpOnly (the snippet reads it), Secure on https pages.
 * @example visitorCookie('abcdefghijklmnop0123', true) // 'dw_vid=abcdefghijklmnop0123; Path=/; Max-Age=63072000; SameSite=Lax; Secure'
 */
export function visitorCookie(visitorId: string, secure: boolean): string {
  return `${VISITOR_COOKIE}=${visitorId}; Path=/; Max-Age=${VISITOR_COOKIE_MAX_AGE}; SameSite=Lax${secure ? '; Secure' : ''}`;
}
