/**
 * @module
 * The one shape in which services receive what a request (or a queue batch, or the cron) gives
 * them: the D1 handle, drizzle over it, the deployment's bindings and settings, and the instant
 * the work happens at. It is built once per request by worker/middleware/db.ts and read by routes
 * as `c.var.svc`; work outside a request builds it with `backgroundContext` (same file).
 *
 * A service takes it as its first parameter and names the parts it reads with `Pick`, so a test
 * can hand it only those:
 *
 *   export async function visitorSummary(ctx: Pick<ServiceContext, 'd1' | 'db' | 'now'>, id: string)
 *
 * Services never import the bindings (`cloudflare:workers`), never take a Hono context, and take
 * the time from `ctx.now` so one request sees one instant (they still read the clock to measure a
 * duration or to stamp a write that happens after a wait).
 */
import { createDb, type Db } from '../db/client';
import type { Env } from '../env';

export interface ServiceContext {
  /** The D1 handle: metered in a request, the background wrapper otherwise — never `env.DB` itself. */
  d1: D1Database;
  /** drizzle over that same handle (made on first use: a decide from a token never needs it). */
  readonly db: Db;
  /** The deployment's bindings and settings (queues, secrets, flags). */
  env: Env;
  /** When the request (or batch, or cron run) began, in ms since the epoch. */
  now: number;
}

/**
 * The context over a D1 handle that is already wrapped (metered or background).
 * @example const ctx = serviceContext(backgroundD1(env), env); // what backgroundContext(env) returns
 */
export function serviceContext(d1: D1Database, env: Env, now = Date.now()): ServiceContext {
  let db: Db | undefined;
  return {
    d1,
    get db() {
      return (db ??= createDb(d1));
    },
    env,
    now,
  };
}
