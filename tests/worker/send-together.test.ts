/**
 * Pages' writes sent together (worker/services/writes/send-together.ts): the pages of one turn
 * go to the queue as one message, each sender resolves once that message is accepted (or fails
 * with it), and a sender whose message never comes back sends its page alone. Then the consumer
 * (worker/services/writes/consumer.ts) takes such messages apart: every event stored once, the
 * message acknowledged once all its pages are applied and retried whole when one fails.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NormalizedEvent } from '../../worker/core/types';
import { serviceContext } from '../../worker/services/context';
import { handleWriteBatch } from '../../worker/services/writes/consumer';
import { pagesOf, WRITES_QUEUE, type WriteMessage, type WriteMessages } from '../../worker/services/writes/message';
import { ALONE_AFTER_MS, sentTogether } from '../../worker/services/writes/send-together';
import { count, eid, loadDemo, vid } from './helpers';

beforeAll(loadDemo);

const page = (visitorId: string, now = Date.now()): WriteMessage => ({
  v: 1,
  visitorId,
  events: [{ id: eid('pv'), type: 'page_view', at: now, props: { category: 'pricing' } } as NormalizedEvent],
  exposures: [],
  now,
});

/** A queue that records each `send`, answering as `answer` says. */
function queueThat(answer: (n: number) => Promise<void>) {
  const sent: unknown[] = [];
  const queue = {
    send: (body: unknown) => {
      sent.push(body);
      return answer(sent.length);
    },
  } as unknown as Queue<WriteMessage | WriteMessages>;
  return { sent, queue };
}

describe('sentTogether', () => {
  it('the pages of one turn go as one message; each sender resolves when it is accepted', async () => {
    const { sent, queue } = queueThat(async () => {});
    const producer = sentTogether(queue);
    const pages = [page(vid('t1')), page(vid('t2')), page(vid('t3'))];
    await Promise.all(pages.map((p) => producer.send(p)));
    expect(sent).toHaveLength(1);
    expect(pagesOf(sent[0])).toEqual(pages);
    // A page alone goes as the single page's message.
    const single = page(vid('t4'));
    await producer.send(single);
    expect(sent[1]).toEqual(single);
  });

  it('a refused message fails every page it holds', async () => {
    const { queue } = queueThat(async () => {
      throw new Error('queue refused');
    });
    const producer = sentTogether(queue);
    const results = await Promise.allSettled([producer.send(page(vid('r1'))), producer.send(page(vid('r2')))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });

  it('a message whose answer never comes: each page is sent alone after ALONE_AFTER_MS', { timeout: 20_000 }, async () => {
    const { sent, queue } = queueThat((n) => (n === 1 ? new Promise<void>(() => {}) : Promise.resolve()));
    const producer = sentTogether(queue);
    const pages = [page(vid('h1')), page(vid('h2'))];
    const started = Date.now();
    await Promise.all(pages.map((p) => producer.send(p)));
    expect(Date.now() - started).toBeGreaterThanOrEqual(ALONE_AFTER_MS);
    expect(pagesOf(sent[0])).toEqual(pages);
    expect(sent.slice(1)).toEqual(expect.arrayContaining(pages));
    expect(sent).toHaveLength(3);
  });
});

function fakeBatch(bodies: unknown[], attempts = 1) {
  const messages = bodies.map((body, i) => {
    const m = {
      id: `m${i}`,
      timestamp: new Date(),
      body,
      attempts,
      state: 'new' as 'new' | 'acked' | 'retried',
      ack() {
        m.state = 'acked';
      },
      retry() {
        m.state = 'retried';
      },
    };
    return m;
  });
  return { batch: { queue: WRITES_QUEUE, messages } as unknown as MessageBatch<unknown>, messages };
}

/** D1 whose first statement batch writing `visitorId`'s events fails (shared or alone). */
function failingFor(visitorId: string): D1Database {
  return new Proxy(env.DB, {
    get(target, prop) {
      if (prop === 'batch')
        return async (statements: D1PreparedStatement[]) => {
          const sql = JSON.stringify(statements.map((s) => (s as unknown as { params?: unknown[] }).params ?? []));
          if (sql.includes(visitorId)) throw new Error('killed');
          return target.batch(statements);
        };
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('the consumer and messages of several pages', () => {
  it('applies each page once; one page failing retries its message whole, and the redelivery stores nothing twice', async () => {
    const [a, b, c] = [vid('pa'), vid('pb'), vid('pc')];
    const now = Date.now();
    const together: WriteMessages = { v: 1, pages: [page(a, now), page(b, now + 1)] };
    const alone = page(c, now + 2);
    const first = fakeBatch([together, alone]);
    await handleWriteBatch(first.batch, serviceContext(failingFor(b), env));
    expect(first.messages.map((m) => m.state)).toEqual(['retried', 'acked']);
    expect(await count('events', 'visitor_id = ?', a)).toBe(1);
    expect(await count('events', 'visitor_id = ?', b)).toBe(0);
    const again = fakeBatch([together], 2);
    await handleWriteBatch(again.batch, serviceContext(env.DB, env));
    expect(again.messages.map((m) => m.state)).toEqual(['acked']);
    for (const v of [a, b, c]) expect(await count('events', 'visitor_id = ?', v)).toBe(1);
  });
});
