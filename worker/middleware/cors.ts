/**
 * @module
 * CORS for the public API: only the origins configured in ALLOWED_ORIGINS ("*" = any, local dev).
 */
import { cors } from 'hono/cors';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env';

export function allowedOrigin(origin: string, configured: string | undefined): string | null {
  const list = (configured ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (list.includes('*')) return origin || '*';
  return list.includes(origin) ? origin : null;
}

export function publicCors(): MiddlewareHandler<AppEnv> {
  return async function publicCorsHeaders(c, next) {
    const handler = cors({
      origin: (origin) => allowedOrigin(origin, c.env.ALLOWED_ORIGINS),
      allowMethods: ['POST', 'OPTIONS'],
      allowHeaders: ['Content-Type'],
      maxAge: 86400,
    });
    return handler(c, next);
  };
}
