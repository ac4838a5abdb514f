/**
 * @module
 * CORS for the public API: only the origins configured in ALLOWED_ORIGINS. "*" (any origin) is
 * honoured in local dev only, so a deploy that forgot to set the site's origins accepts none
 * instead of every site on the web.
 */
import { cors } from 'hono/cors';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env';
import { isLocalDev } from '../lib/secrets';

export function allowedOrigin(origin: string, configured: string | undefined, localDev = false): string | null {
  const list = (configured ?? '')
    .split(',')
    .map((s) => s.trim().replace(/\/+$/, ''))
    .filter(Boolean);
  if (list.includes('*') && localDev) return origin || '*';
  return list.includes(origin) ? origin : null;
}

export function publicCors(): MiddlewareHandler<AppEnv> {
  return async function publicCorsHeaders(c, next) {
    const handler = cors({
      origin: (origin) => allowedOrigin(origin, c.env.ALLOWED_ORIGINS, isLocalDev(c.env)),
      allowMethods: ['POST', 'OPTIONS'],
      allowHeaders: ['Content-Type'],
      // The snippet on the site's origin must read it to wait before resending (429/503).
      exposeHeaders: ['Retry-After'],
      maxAge: 86400,
    });
    return handler(c, next);
  };
}
