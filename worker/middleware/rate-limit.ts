/**
 * @module
 * Rate limits on the public endpoints (Workers rate limiting bindings): per visitor id and per
 * client address, so a script reloading a page or replaying events gets a clear 429 instead of
 * load on D1. The address is only a counter key; it is never stored. The isolate counts each key
 * and asks the binding on every sixth request of a window, reporting the five before it
 * (worker/core/rate-count.ts): a visitor browsing costs no call.
 */
import type { Context } from 'hono';
import type { App } from '../app-types';
import type { Env } from '../env';
import { ApiError } from '../errors';
import { wrapD1 } from '../lib/d1-wrap';
import { answered, countStep, counted, type KeyCount } from '../core/rate-count';

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
    queue: <T>(queue: { send(body: T, options?: QueueSendOptions): Promise<unknown> }) => ({
      send: (body: T, options?: QueueSendOptions) => verdict.then(() => queue.send(body, options)),
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
    countedLimit(env.RL_VISITOR, `v:${visitorId}`),
    client ? countedLimit(env.RL_CLIENT, `ip:${client}`) : true,
  ]);
  if (!perVisitor) return 'visitor';
  if (!perClient) return 'client';
  return null;
}

/** This isolate's counts by key (the keys of the two bindings never collide: `v:` / `ip:`). */
const counts = new Map<string, KeyCount>();
/** Past this many keys, the least recently used half is forgotten (worst case: a few requests never reported). */
const MAX_KEYS = 5_000;

/**
 * Whether the binding takes `delta`. Cloudflare's does, and so does wrangler's local one; an older
 * local simulator (the vitest pool's) refuses the option, and then every request asks, as before.
 */
let deltaTaken = true;

/**
 * Whether one key is under its limit: the isolate counts the key's requests and asks the binding
 * on every REPORT_EVERYth of a window (worker/core/rate-count.ts).
 */
async function countedLimit(binding: RateLimit | undefined, key: string): Promise<boolean> {
  if (!binding) return true;
  if (!deltaTaken) return (await binding.limit({ key })).success;
  const now = Date.now();
  const before = counts.get(key);
  const step = countStep(before, now);
  remember(key, counted(before, step, now));
  if (step.kind !== 'ask') return step.kind === 'allow';
  const success = await ask(binding, key, step.delta);
  remember(key, answered(counts.get(key), success, now));
  return success;
}

async function ask(binding: RateLimit, key: string, delta: number): Promise<boolean> {
  try {
    return (await binding.limit({ key, delta })).success;
  } catch (err) {
    if (!String(err).includes('delta')) throw err;
    deltaTaken = false;
    counts.clear();
    return (await binding.limit({ key })).success;
  }
}

function remember(key: string, count: KeyCount): void {
  counts.delete(key); // re-inserted last: the map's order is the keys' last use
  counts.set(key, count);
  if (counts.size <= MAX_KEYS) return;
  for (const k of counts.keys()) {
    if (counts.size <= MAX_KEYS / 2) break;
    counts.delete(k);
  }
}
