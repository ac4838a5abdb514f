/**
 * @module
 * A D1 binding with an injected storage fault, for the fail-open tests (tests/worker/faults.test.ts,
 * tests/worker/rewrite.test.ts): every statement and batch either fails at once, or reaches the
 * real local D1 only after a delay (5 s unless told: longer than the deadline under test). Handed to the app in place
 * of `DB`, so the request goes through the real routes, middleware and metering.
 */
import { env } from 'cloudflare:workers';

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
  const statement = (s: D1PreparedStatement): D1PreparedStatement =>
    new Proxy(s, {
      get(target, prop) {
        if (prop === 'bind') return (...a: unknown[]) => statement(target.bind(...a));
        if (prop === 'first' || prop === 'all' || prop === 'run' || prop === 'raw')
          return (...a: unknown[]) => hit(() => (target[prop] as (...x: unknown[]) => Promise<unknown>).apply(target, a));
        return Reflect.get(target, prop, target);
      },
    });
  return new Proxy(env.DB, {
    get(target, prop) {
      if (prop === 'prepare') return (q: string) => statement(target.prepare(q));
      if (prop === 'batch') return (s: D1PreparedStatement[]) => hit(() => target.batch(s));
      return Reflect.get(target, prop, target);
    },
  });
}
