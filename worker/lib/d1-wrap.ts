/**
 * @module
 * One way to wrap a D1 binding around its round trips: a statement run on its own
 * (`first`/`all`/`run`/`raw`) or one `batch`. The request meter (middleware/db.ts), the local-dev
 * latency (lib/d1-delay.ts) and the tests' injected faults are each a pair of hooks over it.
 *
 * Wrappers stack: a statement prepared through several of them still reaches `batch()` as the
 * real statement, because every wrapper hands over the innermost one (D1's `batch` accepts only
 * its own statements).
 */

export interface D1Hooks {
  /** Around one statement run on its own; call `real` to reach D1. */
  statement<T>(real: () => Promise<T>): Promise<T>;
  /** Around one `batch()` of `size` statements; call `real` to reach D1. */
  batch<T>(real: () => Promise<T>, size: number): Promise<T>;
}

const RUNS = new Set<PropertyKey>(['first', 'all', 'run', 'raw']);
const INNER = '__d1Inner';

/** The real statement behind any number of wrappers. */
const inner = (s: D1PreparedStatement): D1PreparedStatement =>
  (s as unknown as Record<string, D1PreparedStatement | undefined>)[INNER] ?? s;

/**
 * @example
 *   let trips = 0;
 *   const counted = wrapD1(d1, {
 *     statement: (real) => { trips++; return real(); },
 *     batch: (real) => { trips++; return real(); },
 *   });
 */
export function wrapD1(d1: D1Database, hooks: D1Hooks): D1Database {
  const wrapStatement = (stmt: D1PreparedStatement): D1PreparedStatement =>
    new Proxy(stmt, {
      get(target, prop, receiver) {
        if (prop === 'bind') return (...args: unknown[]) => wrapStatement(target.bind(...args));
        if (RUNS.has(prop)) {
          const fn = Reflect.get(target, prop, target) as (...a: unknown[]) => Promise<unknown>;
          return (...args: unknown[]) => hooks.statement(() => fn.apply(target, args));
        }
        if (prop === INNER) return inner(target);
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  return new Proxy(d1, {
    get(target, prop) {
      if (prop === 'prepare') return (query: string) => wrapStatement(target.prepare(query));
      if (prop === 'batch')
        return (statements: D1PreparedStatement[]) => hooks.batch(() => target.batch(statements.map(inner)), statements.length);
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
