/**
 * @module
 * Puts the D1 binding and the service context with its drizzle client on `c.var`, so routes never
 * build their own (I/O is injected, never imported). With `DEBUG_TIMING = "true"` the binding is
 * metered: it counts statements per request and reports them with the time spent in a
 * `Server-Timing` header — how the tests and `npm run bench` prove the "one read, one batched
 * write" budget through the real runtime. Without it nothing counts (nobody would read it).
 */
import type { MiddlewareHandler } from 'hono';
import type { Env } from '../env';
import { D1_DELAY_HEADER, delayedD1, injectedDelayMs } from '../lib/d1-delay';
import { decideReadsNearest, nearestReads } from '../lib/d1-session';
import { wrapD1 } from '../lib/d1-wrap';
import { type ServiceContext, serviceContext } from '../services/context';

export interface D1Meter {
  /** Statements run on their own (first/all/run/raw). */
  reads: number;
  /** `batch()` calls and the statements inside them. */
  batches: number;
  batchedStatements: number;
}

/**
 * `svc` is what services take (services/context.ts), and its `db` is drizzle for routes that query
 * directly (made on first use: most public requests never need it); `d1` is the same metered handle.
 */
export type DbVars = { Variables: { d1: D1Database; meter: D1Meter; svc: ServiceContext } };

/** Wraps a D1 binding so every statement it runs is counted in `meter`. */
export function meteredD1(d1: D1Database, meter: D1Meter): D1Database {
  return wrapD1(d1, {
    statement(real) {
      meter.reads++;
      return real();
    },
    batch(real, size) {
      meter.batches++;
      meter.batchedStatements += size;
      return real();
    },
  });
}

/** Requests whose reads may come from the nearest D1 copy when `DECIDE_READS = "replica"`. */
const DECIDE_PATHS = new Set(['/v1/decide']);

/**
 * The binding as a decide reads it: through a session at the nearest copy when the deployment
 * chose `DECIDE_READS = "replica"` (lib/d1-session.ts), else the binding (the primary).
 */
function decideBinding(env: Env): D1Database {
  return decideReadsNearest(env) ? nearestReads(env.DB) : env.DB;
}

export function dbProvider(): MiddlewareHandler<{ Bindings: Env } & DbVars> {
  return async function provideDb(c, next) {
    const meter: D1Meter = { reads: 0, batches: 0, batchedStatements: 0 };
    const binding = DECIDE_PATHS.has(c.req.path) ? decideBinding(c.env) : c.env.DB;
    // Local dev only: an injected round trip per D1 call, as a far-away database costs (lib/d1-delay.ts).
    const delayed = delayedD1(binding, injectedDelayMs(c.env, c.req.header(D1_DELAY_HEADER)));
    // Counted only when someone reads the count: the meter's proxies cost every statement a little.
    const timing = c.env.DEBUG_TIMING === 'true';
    const d1 = timing ? meteredD1(delayed, meter) : delayed;
    const svc = serviceContext(d1, c.env);
    c.set('meter', meter);
    c.set('svc', svc);
    c.set('d1', d1);
    const started = performance.now();
    await next();
    // Only on request: the header would tell anyone how much storage work a visitor id costs
    // (e.g. whether it is linked to a member).
    if (!timing) return;
    const ms = (performance.now() - started).toFixed(2);
    c.res.headers.append(
      'Server-Timing',
      `app;dur=${ms}, d1;desc="reads=${meter.reads} batches=${meter.batches} statements=${meter.batchedStatements}"`,
    );
  };
}

/**
 * The D1 binding for work that is not a request — queue consumers and cron — handed out here
 * like `c.var.d1` is for requests, so this file stays the one place that reads `env.DB`. It
 * carries the same local-dev round-trip delay as requests do, when one is set.
 * @example const ctx = serviceContext(backgroundD1(env), env) // what backgroundContext(env) returns
 */
export function backgroundD1(env: Env, binding: D1Database = env.DB): D1Database {
  return delayedD1(binding, injectedDelayMs(env));
}

/**
 * The service context for work that is not a request (queue consumers, cron), over `backgroundD1`.
 * @example scheduled: (event, env, ctx) => ctx.waitUntil(countSegmentDay(backgroundContext(env, event.scheduledTime)))
 */
export function backgroundContext(env: Env, now = Date.now()): ServiceContext {
  return serviceContext(backgroundD1(env), env, now);
}

/**
 * The service context of a decide made outside Hono's request context (the rewrite proxy's page
 * decision): like `backgroundContext`, reading as `POST /v1/decide` does (`decideBinding`).
 * @example const ctx = decideContext(env, now);
 */
export function decideContext(env: Env, now = Date.now()): ServiceContext {
  return serviceContext(backgroundD1(env, decideBinding(env)), env, now);
}

/**
 * What decides' reads made together are grouped by (services/read-together.ts): the isolate's
 * binding, used as a key only — the shared call goes through the opening request's own handle.
 * @example const read = readTogether(readPool(c.env), ctx, gate.verdict);
 */
export function readPool(env: Env): object {
  return env.DB;
}
