/**
 * @module
 * Rate limits on the public endpoints (Workers rate limiting bindings): per visitor id and per
 * client address, so a script reloading a page or replaying events gets a clear 429 instead of
 * load on D1. The address is only a counter key; it is never stored.
 */
import type { Context } from 'hono';
import type { App } from '../app-types';
import type { Env } from '../env';
import { ApiError } from '../errors';

export const RETRY_AFTER_SECONDS = 60;

function tooMany(what: string): ApiError {
  return new ApiError(429, 'rate_limited', `Too many requests for this ${what}; retry in ${RETRY_AFTER_SECONDS} s`, undefined, {
    'Retry-After': String(RETRY_AFTER_SECONDS),
  });
}

/** Loopback means local `wrangler dev` (Cloudflare never sends it): one machine, no address limit. */
function clientAddress(header: string | undefined): string | null {
  if (!header || header === '127.0.0.1' || header === '::1') return null;
  return header;
}

/**
 * @example
 *   await enforceRateLimits(c, input.visitorId);
 */
export async function enforceRateLimits(c: Context<App>, visitorId: string): Promise<void> {
  const limited = await rateLimited(c.env, visitorId, c.req.header('cf-connecting-ip'));
  if (limited) throw tooMany(limited);
}

/**
 * Which limit a request is over, if any (the edge's rewrite mode serves such a page unpersonalized
 * instead of answering 429).
 * @example if (await rateLimited(env, visitorId, req.headers.get('cf-connecting-ip'))) return defaults;
 */
export async function rateLimited(
  env: Pick<Env, 'RL_VISITOR' | 'RL_CLIENT'>,
  visitorId: string,
  clientHeader: string | null | undefined,
): Promise<'visitor' | 'client' | null> {
  const client = clientAddress(clientHeader ?? undefined);
  const [perVisitor, perClient] = await Promise.all([
    env.RL_VISITOR?.limit({ key: `v:${visitorId}` }),
    client ? env.RL_CLIENT?.limit({ key: `ip:${client}` }) : undefined,
  ]);
  if (perVisitor && !perVisitor.success) return 'visitor';
  if (perClient && !perClient.success) return 'client';
  return null;
}
