/**
 * @module
 * Rate limits on the public endpoints (Workers rate limiting bindings): per visitor id and per
 * client address, so a script reloading a page or replaying events gets a clear 429 instead of
 * load on D1. The address is only a counter key; it is never stored. The isolate holds a lease per
 * key (worker/core/rate-lease.ts): a visitor's next pages in the same window pass without a call,
 * counted and reported with the next one.
 */
import type { Context } from 'hono';
import type { App } from '../app-types';
import type { Env } from '../env';
import { ApiError } from '../errors';
import { wrapD1 } from '../lib/d1-wrap';
import { answered, counted, type Lease, leaseStep } from '../core/rate-lease';

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
    leasedLimit(env.RL_VISITOR, `v:${visitorId}`),
    client ? leasedLimit(env.RL_CLIENT, `ip:${client}`) : true,
  ]);
  if (!perVisitor) return 'visitor';
  if (!perClient) return 'client';
  return null;
}

/** This isolate's leases by counter key (the keys of the two bindings never collide: `v:` / `ip:`). */
const leases = new Map<string, Lease>();
/** Past this many keys, leases whose window is over are dropped (they would ask the binding anyway). */
const MAX_LEASES = 5_000;

/**
 * Whether the binding takes `delta`. Cloudflare's does, and so does wrangler's local one; an older
 * local simulator (the vitest pool's) refuses the option, and then every request asks, as before
 * the lease.
 */
let deltaTaken = true;

/**
 * Whether one key is under its limit: asks the binding only when the isolate's lease does not
 * decide it (the first request of a key in a window, and each time its lease has let
 * MAX_UNREPORTED through).
 */
async function leasedLimit(binding: RateLimit | undefined, key: string): Promise<boolean> {
  if (!binding) return true;
  if (!deltaTaken) return (await binding.limit({ key })).success;
  const now = Date.now();
  const lease = leases.get(key);
  const step = leaseStep(lease, now);
  remember(key, counted(lease, step));
  if (step.kind !== 'ask') return step.kind === 'allow';
  const success = await ask(binding, key, step.delta);
  const current = leases.get(key) ?? counted(undefined, step);
  remember(key, answered(current, success, Date.now()));
  return success;
}

async function ask(binding: RateLimit, key: string, delta: number): Promise<boolean> {
  if (delta === 1) return (await binding.limit({ key })).success;
  try {
    return (await binding.limit({ key, delta })).success;
  } catch (err) {
    if (!String(err).includes('delta')) throw err;
    deltaTaken = false;
    leases.clear();
    return (await binding.limit({ key })).success;
  }
}

function remember(key: string, lease: Lease): void {
  leases.delete(key); // re-inserted last: the map's order is the keys' last use
  leases.set(key, lease);
  if (leases.size <= MAX_LEASES) return;
  // Least recently used first, down to half: a forgotten key asks the binding on its next request
  // (a refused one is refused again there); at most its unreported requests go uncounted.
  for (const k of leases.keys()) {
    if (leases.size <= MAX_LEASES / 2) break;
    leases.delete(k);
  }
}
