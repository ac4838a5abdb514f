/**
 * @module
 * A D1 binding with an injected storage fault, for the fail-open tests (tests/worker/faults.test.ts,
 * tests/worker/rewrite.test.ts): every statement and batch either fails at once, or reaches the
 * real local D1 only after a delay (5 s unless told: longer than the deadline under test). Handed
 * to the app in place of `DB`, so the request goes through the real routes, middleware and
 * metering. Built on the worker's own D1 wrapper (worker/lib/d1-wrap.ts).
 */
import { env } from 'cloudflare:workers';
import { wrapD1 } from '../../worker/lib/d1-wrap';

export type Fault = 'fail' | 'slow';

/**
 * @example
 *   const res = await app.fetch(req, { ...env, DB: faultyD1('slow', 5000) }, ctx);
 *   expect((await res.json()).degraded).toBe(true);
 */
export function faultyD1(fault: Fault, delayMs = 5000): D1Database {
  const hit = <T>(real: () => Promise<T>): Promise<T> =>
    fault === 'fail'
      ? Promise.reject(new Error('D1_ERROR: injected failure'))
      : new Promise((resolve, reject) => setTimeout(() => real().then(resolve, reject), delayMs));
  return wrapD1(env.DB, { statement: hit, batch: hit });
}
