/**
 * @module
 * Puts the drizzle client on `c.var.db`, so routes never build their own (STYLE: inject I/O).
 */
import type { MiddlewareHandler } from 'hono';
import { createDb, type Db } from '../db/client';
import type { Env } from '../env';

export type DbVars = { Variables: { db: Db } };

export function dbProvider(): MiddlewareHandler<{ Bindings: Env } & DbVars> {
  return async function provideDb(c, next) {
    c.set('db', createDb(c.env.DB));
    await next();
  };
}
