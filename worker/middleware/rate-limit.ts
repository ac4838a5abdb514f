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
import { wrapD1 } from '../lib/d1-wrap';

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
 * Starts the rate-limit check without waiting for it, for a handler with work to do before its
 * first storage call (the decide: body checks, the profile token, the decision itself — about as
 * long as the check). `d1` and `queue` wrap handles so that every D1 call and every queue send
 * waits for the verdict first: a refused request reads and stores nothing, exactly as when the
 * check came first. The handler still awaits `verdict` before it answers (a 429 when refused).
 * @example
 *   const gate = rateLimitGate(c, visitorId);
 *   const out = await work({ d1: gate.d1(c.var.d1), queue: gate.queue(c.env.WRITES_QUEUE) });
 *   await gate.verdict;
 */
export function rateLimitGate(c: Context<App>, visitorId: string) {
  const verdict = enforceRateLimits(c, visitorId);
  // Awaited by the handler; until then a refusal must not count as an unhandled rejection.
  verdict.catch(() => {});
  return {
    verdict,
    d1: (d1: D1Database): D1Database => wrapD1(d1, { statement: (real) => verdict.then(real), batch: (real) => verdict.then(real) }),
    queue: <T>(queue: Pick<Queue<T>, 'send'>): Pick<Queue<T>, 'send'> => ({
      send: (body, options) => verdict.then(() => queue.send(body, options)),
    }),
  };
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
