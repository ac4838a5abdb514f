/**
 * @module
 * Bearer-token guards for the admin API and the server-to-server API, with a brake on guessing:
 * ten failed attempts from one client within a minute lock that client out of the guard
 * (see services/auth-throttle.ts for where the failures are counted, and why there).
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv, Env } from '../env';
import { ApiError } from '../errors';
import { requireSecret } from '../lib/secrets';
import { authClientKey, judgeAuthAttempt } from '../services/auth-throttle';

/** Constant-time comparison, so response timing says nothing about how much of a key matched. */
export function safeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

/**
 * Requires `Authorization: Bearer <env[secretName]>`. A client past its failure limit gets 429
 * `too_many_attempts` with `Retry-After`, even with the right token: otherwise a correct guess
 * would still be confirmed by its 200.
 * @example
 *   app.use('/api/*', bearerAuth('ADMIN_TOKEN'));
 */
export function bearerAuth(secretName: 'ADMIN_TOKEN' | 'SERVER_API_KEY'): MiddlewareHandler<AppEnv> {
  return async function requireBearer(c, next) {
    // Missing, or short outside local dev: 503 not_configured, never a fallback key.
    const expected = requireSecret(c.env as Env, secretName);
    const header = c.req.header('authorization') ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    const matches = token !== '' && safeEqual(token, expected);
    const verdict = await judgeAuthAttempt(c.env as Env, secretName, authClientKey(c.req.header('cf-connecting-ip')), !matches);
    if (!verdict.allowed) {
      const retry = String(verdict.retryAfterSeconds);
      throw new ApiError(429, 'too_many_attempts', `Too many failed sign-in attempts; retry in ${retry} s`, undefined, {
        'Retry-After': retry,
      });
    }
    if (!token) throw new ApiError(401, 'unauthorized', 'Missing bearer token');
    if (!matches) throw new ApiError(401, 'unauthorized', 'Invalid bearer token');
    await next();
  };
}
