/**
 * @module
 * Secrets and the local-dev switch. A feature whose secret is missing answers 503
 * `not_configured`; no secret ever falls back to another secret or a constant. Outside local
 * dev a secret shorter than 32 bytes is refused the same way, so a placeholder such as
 * "changeme" can never guard production.
 */
import type { Env } from '../env';
import { ApiError } from '../errors';

export type SecretName = 'ADMIN_TOKEN' | 'SERVER_API_KEY' | 'IDENTIFY_SECRET' | 'PREVIEW_SECRET' | 'PROFILE_SECRET';

/** Production secrets carry at least 256 bits (`openssl rand -base64 32` gives 44 characters). */
export const MIN_SECRET_BYTES = 32;

/**
 * True only where `.dev.vars` (never deployed by `wrangler deploy`) sets `LOCAL_DEV = "true"`:
 * the local edge of `npm start` and the tests. Gates `ALLOWED_ORIGINS = "*"` and short dev secrets.
 */
export function isLocalDev(env: Pick<Env, 'LOCAL_DEV'>): boolean {
  return env.LOCAL_DEV === 'true';
}

/** Why `name` cannot be used on this deployment, or null when it can. */
export function secretProblem(env: Env, name: SecretName): string | null {
  const value = env[name];
  if (!value) return `${name} is not set on this deployment`;
  if (!isLocalDev(env) && new TextEncoder().encode(value).length < MIN_SECRET_BYTES) {
    return `${name} is shorter than ${MIN_SECRET_BYTES} bytes; set a random one with \`wrangler secret put ${name}\``;
  }
  return null;
}

/**
 * The secret's value, or a 503 `not_configured` for the feature it guards.
 * @example
 *   const key = requireSecret(c.env, 'IDENTIFY_SECRET');
 */
export function requireSecret(env: Env, name: SecretName): string {
  const problem = secretProblem(env, name);
  if (problem) throw new ApiError(503, 'not_configured', problem);
  return env[name] as string;
}
