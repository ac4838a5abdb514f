/**
 * The one D1 wrapper (worker/lib/d1-wrap.ts) under the meter, the local-dev delay and the tests'
 * faults: each round trip passes every stacked wrapper once, and a batch of wrapped statements
 * still reaches the real local D1 (which accepts only its own statements).
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { delayedD1 } from '../../worker/lib/d1-delay';
import { wrapD1 } from '../../worker/lib/d1-wrap';
import { type D1Meter, meteredD1 } from '../../worker/middleware/db';

function counting(d1: D1Database) {
  const seen = { statements: 0, batches: [] as number[] };
  const wrapped = wrapD1(d1, {
    statement(real) {
      seen.statements++;
      return real();
    },
    batch(real, size) {
      seen.batches.push(size);
      return real();
    },
  });
  return { seen, wrapped };
}

describe('wrapD1', () => {
  it('stacked wrappers each see every round trip once, and batches reach D1 with the real statements', async () => {
    const inner = counting(env.DB);
    const meter: D1Meter = { reads: 0, batches: 0, batchedStatements: 0 };
    const d1 = meteredD1(delayedD1(inner.wrapped, 1), meter);

    const one = await d1.prepare('SELECT ?1 + 1 AS n').bind(41).first<{ n: number }>();
    expect(one?.n).toBe(42);
    const [a, b] = await d1.batch<{ n: number }>([d1.prepare('SELECT 1 AS n'), d1.prepare('SELECT ?1 AS n').bind(2)]);
    expect([a?.results[0]?.n, b?.results[0]?.n]).toEqual([1, 2]);

    expect(meter).toEqual({ reads: 1, batches: 1, batchedStatements: 2 });
    expect(inner.seen).toEqual({ statements: 1, batches: [2] });
  });

  it('a hook that refuses stops the round trip before D1', async () => {
    const refused = wrapD1(env.DB, {
      statement: () => Promise.reject(new Error('refused')),
      batch: () => Promise.reject(new Error('refused')),
    });
    await expect(refused.prepare('SELECT 1').first()).rejects.toThrow('refused');
    await expect(refused.batch([refused.prepare('SELECT 1')])).rejects.toThrow('refused');
  });

  it('no delay leaves the binding as it is', () => {
    expect(delayedD1(env.DB, 0)).toBe(env.DB);
  });
});
