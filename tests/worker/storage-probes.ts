/**
 * What a request did to storage, as the token tests check it: the D1 calls a decide reports in
 * `Server-Timing` (with `DEBUG_TIMING`), a decide answered before its writes reach D1, and a D1
 * binding that records the SQL the worker prepares on it.
 */
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import { fetchNoDrain, json } from './helpers';

/** The D1 reads and batches a request reported. */
export function d1Usage(res: Response) {
  const m = /reads=(\d+) batches=(\d+)/.exec(res.headers.get('server-timing') ?? '');
  if (!m) throw new Error('no d1 usage in Server-Timing');
  return { reads: Number(m[1]), batches: Number(m[2]) };
}

/** A decide through the worker (slots hero and cta, no events unless given), answered before its writes reach D1. */
export async function decideNoDrain(body: Record<string, unknown>) {
  const res = await fetchNoDrain('POST', '/v1/decide', { slots: ['hero', 'cta'], events: [], ...body });
  expect(res.status).toBe(200);
  return { body: await json(res), usage: d1Usage(res), source: res.headers.get('x-dw-profile') };
}

/**
 * The local D1, recording the SQL of every statement the worker prepares on it during a request
 * (and its waitUntil work); a batch shows as `batch`.
 * @example const { sql, db } = countedDb(); await throughEdge('/p', { bindings: { DB: db } });
 */
export function countedDb() {
  const sql: string[] = [];
  const db = new Proxy(env.DB, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop === 'prepare') return (q: string) => (sql.push(q), value.call(target, q));
      if (prop === 'batch') sql.push('batch');
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { sql, db };
}
