/**
 * @module
 * Bearer-token guards for the admin API and the server-to-server API.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv, Env } from '../env';
import { ApiError } from '../errors';

/** Constant-time comparison, so response timing says nothing about how much of a key matched. */
export function safeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

/**
 * Requires `Authorization: Bearer <env[secretName]>`.
 * @example
 *   app.use('/api/*', bearerAuth('ADMIN_TOKEN'));
 */
export function bearerAuth(secretName: 'ADMIN_TOKEN' | 'SERVER_API_KEY'): MiddlewareHandler<AppEnv> {
  return async function requireBearer(c, next) {
    const expected = (c.env as Env)[secretName];
    const header = c.req.header('authorization') ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (!expected) throw new ApiError(500, 'not_configured', `${secretName} is not set on this deployment`);
    if (!token) throw new ApiError(401, 'unauthorized', 'Missing bearer token');
    if (!safeEqual(token, expected)) throw new ApiError(401, 'unauthorized', 'Invalid bearer token');
    await next();
  };
}
