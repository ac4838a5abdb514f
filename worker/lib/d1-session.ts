/**
 * @module
 * Decide reads from the nearest D1 copy. With read replication on (docs/storage.md, "Read
 * replicas"), a D1 session started `first-unconstrained` sends its first query to whichever copy
 * is closest, the primary or a replica, and keeps every later query of the session at least as
 * recent (sequential consistency, writes included: they go to the primary). Without replication
 * the session's queries all go to the primary, as before.
 *
 * Only the decide paths (`POST /v1/decide`, the rewrite proxy's page decision) read this way,
 * and only when `DECIDE_READS = "replica"`: they tolerate a copy some seconds behind (the profile
 * token carries the visitor's own recent pages; the queue consumer writes to the primary with
 * event ids), whereas `/v1/collect`, the server API, the console and the consumers read the
 * primary so that what they report is what is stored.
 */
import type { Env } from '../env';

/** Where a decide's read goes: `"replica"` (the nearest copy), or the primary (the default). */
export function decideReadsNearest(env: Pick<Env, 'DECIDE_READS'>): boolean {
  return env.DECIDE_READS === 'replica';
}

/**
 * The binding with its statements and batches sent through one session started
 * `first-unconstrained`. It is still typed `D1Database` for the wrappers and drizzle above it;
 * `exec`, `dump` and `withSession` reach the binding itself (nothing on a decide path calls them).
 * @example const d1 = nearestReads(env.DB); await d1.prepare('SELECT 1').first(); // nearest copy
 */
export function nearestReads(db: D1Database): D1Database {
  const session = db.withSession('first-unconstrained');
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'prepare') return (query: string) => session.prepare(query);
      if (prop === 'batch') return (statements: D1PreparedStatement[]) => session.batch(statements);
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
