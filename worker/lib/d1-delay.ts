/**
 * @module
 * Makes storage latency visible on a laptop. On Cloudflare, D1 lives in one region: a request
 * served far from it pays a network round trip per storage call. Locally D1 is a file next to the
 * worker, so that cost is invisible — this wrapper puts it back: every call that would cross the
 * network (a statement's `first`/`all`/`run`/`raw`, or one `batch`) waits `ms` first.
 *
 * Only local dev honours it (`LOCAL_DEV = "true"`, see lib/secrets.ts): `D1_DELAY_MS` in the
 * environment sets the delay for every request and for the queue consumers; the bench may also
 * ask for it per request with the `X-DW-D1-Delay` header, so one `wrangler dev` serves the static
 * file and a delayed decide side by side.
 */
import type { Env } from '../env';
import { wrapD1 } from './d1-wrap';
import { isLocalDev } from './secrets';

/** Request header the bench sets to inject a round trip per D1 call (local dev only). */
export const D1_DELAY_HEADER = 'x-dw-d1-delay';
/** Longest delay accepted: enough for any real round trip, short enough to never hang a test. */
const MAX_DELAY_MS = 2000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The injected delay for this environment (and request), or 0. Never non-zero in production.
 * @example injectedDelayMs(c.env, c.req.header('x-dw-d1-delay')) // 50 under `D1_DELAY_MS=50`
 */
export function injectedDelayMs(env: Pick<Env, 'LOCAL_DEV'> & { D1_DELAY_MS?: string }, header?: string | null): number {
  if (!isLocalDev(env)) return 0;
  const raw = header ?? env.D1_DELAY_MS;
  const ms = Number(raw ?? 0);
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms, MAX_DELAY_MS) : 0;
}

/**
 * Wraps a D1 binding so each round trip (one statement run, or one batch) first waits `ms`.
 * Returns the binding itself when `ms` is 0.
 * @example const d1 = delayedD1(env.DB, 50); await d1.prepare('SELECT 1').first(); // ≥ 50 ms
 */
export function delayedD1(d1: D1Database, ms: number): D1Database {
  if (!ms) return d1;
  const later = async <T>(real: () => Promise<T>): Promise<T> => {
    await sleep(ms);
    return real();
  };
  return wrapD1(d1, { statement: later, batch: later });
}
