/**
 * @module
 * CORS for the public API: only the origins configured in ALLOWED_ORIGINS. "*" (any origin) is
 * honoured in local dev only, so a deploy that forgot to set the site's origins accepts none
 * instead of every site on the web.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';
import { isLocalDev } from '../lib/secrets';

export function allowedOrigin(origin: string, configured: string | undefined, localDev = false): string | null {
  const list = (configured ?? '')
    .split(',')
    .map((s) => s.trim().replace(/\/+$/, ''))
    .filter(Boolean);
  if (list.includes('*') && localDev) return origin || '*';
  return list.includes(origin) ? origin : null;
}

/** What a preflight from an allowed origin is granted: the snippet POSTs JSON, nothing else. */
const PREFLIGHT_GRANT = {
  'Access-Control-Allow-Methods': 'POST,OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type',
  'Access-Control-Max-Age': '86400',
};

/**
 * The public API's CORS headers, set on the response once the route has made it (an error's
 * too, so the snippet can read a 400 or a 429), and the refusal (403) of any other origin. Not Hono's `cors()`: that one writes its headers
 * on a placeholder response before the route runs, and Hono then copies them into a third
 * response — three responses built on every decide, for four headers.
 */
export function publicCors(): MiddlewareHandler<AppEnv> {
  return async function publicCorsHeaders(c, next) {
    const requestOrigin = c.req.header('origin');
    const origin = allowedOrigin(requestOrigin ?? '', c.env.ALLOWED_ORIGINS, isLocalDev(c.env));
    if (c.req.method === 'OPTIONS') {
      const headers = new Headers({ Vary: 'Origin, Access-Control-Request-Headers', 'Access-Control-Expose-Headers': 'Retry-After' });
      if (origin) {
        headers.set('Access-Control-Allow-Origin', origin);
        for (const [name, value] of Object.entries(PREFLIGHT_GRANT)) headers.set(name, value);
      }
      return new Response(null, { status: 204, headers });
    }
    // text/plain bodies skip the preflight, so a disallowed origin must be refused here, not
    // only denied the response: otherwise it could still write events.
    if (!origin && requestOrigin) {
      throw new ApiError(403, 'origin_not_allowed', `Origin ${requestOrigin} is not allowed for this site`);
    }
    await next();
    const headers = c.res.headers;
    headers.append('Vary', 'Origin');
    if (!origin) return;
    headers.set('Access-Control-Allow-Origin', origin);
    // The snippet on the site's origin must read it to wait before resending (429/503).
    headers.set('Access-Control-Expose-Headers', 'Retry-After');
  };
}
