/**
 * Delivery rules of alerts, through workerd, the local D1 and the Node receiver (which verifies
 * every signature with its own code). The queue is the only stand-in: fired alerts land in a
 * recording queue and the tests run the real consumer on them, deciding when each "delayed"
 * message arrives — so retries, backoff, duplicates and crashes are played exactly.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RETRY_DELAYS_S } from '../../worker/core/alerts/delivery';
import { LEASE_MS } from '../../worker/services/alerts/attempt';
import { sweepAlertOutbox } from '../../worker/services/alerts/sweep';
import { ADMIN, call, json, loadDemo } from './helpers';
import {
  consume,
  createAlert,
  crossIntoHotLead,
  deliveriesOf,
  hookUrl,
  received,
  recordingQueue,
  requestWithQueue,
  resetAlerts,
  script,
} from './receiver/client';

let n = 0;
const member = (label: string) => `m-${label}-${Date.now().toString(36)}-${n++}`;

/**
 * A D1 binding that fails the `from`-th statement matching `pattern` (a single statement, or a
 * batch holding it). With `stayDown`, D1 stays unavailable after that (nothing prepared later
 * runs): a crash, where no clean-up can happen.
 */
function faultyD1(pattern: RegExp, opts: { from?: number; stayDown?: boolean } = {}) {
  let seen = 0;
  let fired = false;
  let down = false;
  const failing = new WeakSet<object>();
  const boom = () => Promise.reject(new Error('injected D1 failure'));
  const shouldFail = (sql: string) => {
    if (down) return true;
    if (fired || !pattern.test(sql) || ++seen < (opts.from ?? 1)) return false;
    fired = true;
    if (opts.stayDown) down = true;
    return true;
  };
  const failingStatement = (stmt: D1PreparedStatement): D1PreparedStatement => {
    const proxy = new Proxy(stmt, {
      get(s, p) {
        if (p === 'bind') return (...args: unknown[]) => failingStatement(s.bind(...args));
        if (p === 'first' || p === 'run' || p === 'all' || p === 'raw') return boom;
        const v = Reflect.get(s, p);
        return typeof v === 'function' ? v.bind(s) : v;
      },
    });
    failing.add(proxy);
    return proxy;
  };
  return new Proxy(env.DB, {
    get(target, prop) {
      if (prop === 'prepare')
        return (sql: string) => {
          const stmt = target.prepare(sql);
          return shouldFail(sql) ? failingStatement(stmt) : stmt;
        };
      if (prop === 'batch')
        return (stmts: D1PreparedStatement[]) => (down || stmts.some((x) => failing.has(x)) ? boom() : target.batch(stmts));
      const value = Reflect.get(target, prop);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as D1Database;
}

beforeAll(loadDemo);
beforeEach(resetAlerts);

describe('retries', () => {
  it('500 twice then 200: retried after 5 s and 5 min, delivered once, the same id and body each time', async () => {
    const queue = recordingQueue();
    const alert = await createAlert('retry');
    await script('retry', { responses: [{ status: 500, body: 'down' }, { status: 503 }, { status: 200, body: 'thanks' }] });
    const [first] = await crossIntoHotLead(queue, member('retry'));
    expect(first).toBeDefined();

    const t0 = Date.now();
    await consume([first!], queue);
    let [row] = await deliveriesOf(alert.id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_status_code: 500, response_excerpt: 'down' });
    expect(row!.next_attempt_at - t0).toBeGreaterThanOrEqual(5000);
    expect(row!.next_attempt_at - t0).toBeLessThan(10_000);
    const [second] = queue.take();
    expect(second).toMatchObject({ delaySeconds: 5, body: { id: first!.id } });
    expect(second!.body.token).not.toBe(first!.token);

    await consume([second!.body], queue);
    const [third] = queue.take();
    expect(third!.delaySeconds).toBe(300);
    await consume([third!.body], queue);
    expect(queue.take()).toEqual([]);

    [row] = await deliveriesOf(alert.id);
    expect(row).toMatchObject({ status: 'delivered', attempts: 3, last_status_code: 200, response_excerpt: 'thanks', last_error: null });
    const log = await received('retry');
    expect(log.map((e) => e.answered)).toEqual([500, 503, 200]);
    expect(new Set(log.map((e) => e.id))).toEqual(new Set([first!.id]));
    expect(log.every((e) => e.verified)).toBe(true);
    expect(new Set(log.map((e) => e.raw)).size).toBe(1);
  });

  it('keeps retrying on the schedule for more than 72 hours, then fails', async () => {
    const queue = recordingQueue();
    const alert = await createAlert('exhaust');
    await script('exhaust', { responses: Array.from({ length: 20 }, () => ({ status: 502 })) });
    let [msg] = await crossIntoHotLead(queue, member('exhaust'));
    const delays: number[] = [];
    for (let i = 0; i < 30 && msg; i++) {
      await consume([msg], queue);
      const next = queue.take()[0];
      if (next) delays.push(next.delaySeconds ?? 0);
      msg = next?.body;
    }
    expect(delays).toEqual([...RETRY_DELAYS_S]);
    expect(delays[0]).toBeLessThanOrEqual(10);
    expect(delays.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(72 * 3600);
    const [row] = await deliveriesOf(alert.id);
    expect(row).toMatchObject({ status: 'failed', attempts: RETRY_DELAYS_S.length + 1, last_status_code: 502, last_error: 'status_502' });
    expect(await received('exhaust')).toHaveLength(RETRY_DELAYS_S.length + 1);
  });

  it('a 4xx other than 408/429 fails at once; a redirect is not followed but retried', async () => {
    const queue = recordingQueue();
    const refused = await createAlert('refuses');
    await script('refuses', { responses: [{ status: 422, body: '{"error":"schema"}' }] });
    await consume(await crossIntoHotLead(queue, member('refuses')), queue);
    expect(queue.take()).toEqual([]);
    expect((await deliveriesOf(refused.id))[0]).toMatchObject({
      status: 'failed',
      attempts: 1,
      last_status_code: 422,
      last_error: 'status_422',
    });

    const moved = await createAlert('moved');
    await script('moved', { responses: [{ status: 302, headers: { location: 'http://127.0.0.1:9/elsewhere' } }] });
    await consume(await crossIntoHotLead(queue, member('moved')), queue);
    expect(queue.take()).toHaveLength(1);
    expect((await deliveriesOf(moved.id))[0]).toMatchObject({ status: 'pending', last_status_code: 302, last_error: 'redirect' });
    expect(await received('moved')).toHaveLength(1);
  });

  it('410 Gone fails the delivery and switches the alert off, so the next crossing fires nothing', async () => {
    const queue = recordingQueue();
    const alert = await createAlert('gone');
    await script('gone', { responses: [{ status: 410 }] });
    await consume(await crossIntoHotLead(queue, member('gone')), queue);
    expect((await deliveriesOf(alert.id))[0]).toMatchObject({ status: 'failed', last_status_code: 410 });
    const shown = await json(await call('GET', `/api/alerts/${alert.id}`, undefined, ADMIN));
    expect(shown).toMatchObject({ enabled: false, disabledReason: 'gone' });
    expect(await crossIntoHotLead(queue, member('gone-2'))).toEqual([]);
    expect(await deliveriesOf(alert.id)).toHaveLength(1);
  });
});

describe('exactly once to the receiver', () => {
  it('a duplicate queue delivery (same batch, or two consumers at once) reaches the receiver once', async () => {
    const queue = recordingQueue();
    const alert = await createAlert('dup');
    const [msg] = await crossIntoHotLead(queue, member('dup'));
    await Promise.all([consume([msg!, msg!], queue), consume([msg!], queue)]);
    await consume([msg!], queue);
    expect(await received('dup')).toHaveLength(1);
    expect((await deliveriesOf(alert.id))[0]).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it('a consumer crash mid-batch: the redelivered batch sends only what was not sent', async () => {
    const queue = recordingQueue();
    await createAlert('crash');
    const msgs = [...(await crossIntoHotLead(queue, member('crash-a'))), ...(await crossIntoHotLead(queue, member('crash-b')))];
    expect(msgs).toHaveLength(2);
    // The second claim of the batch fails: that message is left for redelivery, the other is sent.
    const result = await consume(msgs, queue, { d1: faultyD1(/SET lease_until = \?3 \+ \?4/, { from: 2 }) });
    expect(result.retryMessages).toHaveLength(1);
    expect(await received('crash')).toHaveLength(1);
    // The queue redelivers the whole batch (a crashed invocation acknowledges nothing).
    await consume(msgs, queue);
    const log = await received('crash');
    expect(log).toHaveLength(2);
    expect(new Set(log.map((e) => e.id))).toEqual(new Set(msgs.map((m) => m.id)));
  });

  it('a crash after the receiver answered: sent again after the lease, with the same webhook-id', async () => {
    const queue = recordingQueue();
    const alert = await createAlert('late-crash');
    const [msg] = await crossIntoHotLead(queue, member('late-crash'));
    // D1 goes away as the verdict is being recorded: the attempt cannot even give its lease back.
    const result = await consume([msg!], queue, { d1: faultyD1(/SET status = \?3/, { stayDown: true }) });
    expect(result.retryMessages).toHaveLength(1);
    expect(await received('late-crash')).toHaveLength(1);
    // Redelivered at once: the lease still holds, so nothing is sent yet.
    const early = await consume([msg!], queue);
    expect(early.retryMessages).toHaveLength(1);
    expect(await received('late-crash')).toHaveLength(1);
    await consume([msg!], queue, { now: Date.now() + LEASE_MS + 1000 });
    const log = await received('late-crash');
    expect(log).toHaveLength(2);
    expect(new Set(log.map((e) => e.id)).size).toBe(1);
    expect((await deliveriesOf(alert.id))[0]).toMatchObject({ status: 'delivered', attempts: 2 });
  });

  it('a failure on our side after the claim gives the lease back: the redelivery sends at once', async () => {
    const queue = recordingQueue();
    const alert = await createAlert('released');
    const [msg] = await crossIntoHotLead(queue, member('released'));
    // Building the message fails (its events cannot be read).
    const result = await consume([msg!], queue, { d1: faultyD1(/json_each\(e\.breakdown\)/) });
    expect(result.retryMessages).toHaveLength(1);
    expect(await received('released')).toHaveLength(0);
    expect((await deliveriesOf(alert.id))[0]).toMatchObject({ status: 'pending', attempts: 1, lease_until: null });
    await consume([msg!], queue);
    expect(await received('released')).toHaveLength(1);
    expect((await deliveriesOf(alert.id))[0]).toMatchObject({ status: 'delivered', attempts: 2 });
  });

  it('a message whose token was replaced (an old retry) does nothing', async () => {
    const queue = recordingQueue();
    await createAlert('stale');
    await script('stale', { responses: [{ status: 500 }] });
    const [msg] = await crossIntoHotLead(queue, member('stale'));
    await consume([msg!], queue);
    const [retry] = queue.take();
    await consume([retry!.body], queue);
    await consume([msg!, retry!.body], queue);
    expect(await received('stale')).toHaveLength(2);
  });
});

describe('the outbox', () => {
  it('an alert whose queue send was lost is picked up by the sweeper and delivered', async () => {
    const lost = {
      send: async () => Promise.reject(new Error('queue down')),
      sendBatch: async () => Promise.reject(new Error('queue down')),
    };
    const alert = await createAlert('swept');
    const id = member('swept');
    const queue = recordingQueue();
    await call(
      'PUT',
      `/v1/server/members/${id}`,
      { traits: { industry: 'SaaS', employees: 120 } },
      { authorization: 'Bearer dev-server-key' },
    );
    for (const e of [
      { id: `pv-${id}`, type: 'page_view', props: { category: 'pricing' } },
      { id: `dl-${id}`, type: 'download', props: { asset: 'guide' } },
    ]) {
      expect(
        (await requestWithQueue(lost, '/v1/server/collect', { memberId: id, events: [e] }, { authorization: 'Bearer dev-server-key' }))
          .status,
      ).toBe(200);
    }
    expect((await deliveriesOf(alert.id))[0]).toMatchObject({ status: 'pending', attempts: 0 });
    // Not yet overdue: the sweeper leaves it alone.
    expect(await sweepAlertOutbox({ d1: env.DB, now: Date.now() }, queue)).toBe(0);
    expect(await sweepAlertOutbox({ d1: env.DB, now: Date.now() + 120_000 }, queue)).toBeGreaterThanOrEqual(1);
    const [row] = await deliveriesOf(alert.id);
    const mine = queue.take().filter((m) => m.body.id === row!.id);
    expect(mine).toEqual([{ body: { id: row!.id, token: row!.token }, delaySeconds: undefined }]);
    await consume([mine[0]!.body], queue);
    expect((await deliveriesOf(alert.id))[0]).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(await received('swept')).toHaveLength(1);
  });

  it('the dead-letter queue marks its deliveries failed (and replayable)', async () => {
    const queue = recordingQueue();
    const alert = await createAlert('dlq');
    const [msg] = await crossIntoHotLead(queue, member('dlq'));
    await consume([msg!], queue, { queueName: 'dashiwake-alerts-dlq' });
    expect((await deliveriesOf(alert.id))[0]).toMatchObject({ status: 'failed', last_error: 'dead_letter' });
    expect(await received('dlq')).toHaveLength(0);
  });
});

describe('replay', () => {
  it('sends the same message again with the same webhook-id, a fresh signature and the same body', async () => {
    const queue = recordingQueue();
    const alert = await createAlert('replay');
    const [msg] = await crossIntoHotLead(queue, member('replay'));
    await consume([msg!], queue);
    const res = await requestWithQueue(queue, `/api/deliveries/${msg!.id}/replay`, {}, ADMIN);
    expect(res.status).toBe(202);
    expect(await json(res)).toMatchObject({ id: msg!.id, status: 'pending' });
    const [again] = queue.take();
    expect(again!.body.id).toBe(msg!.id);
    await consume([again!.body], queue);
    const log = await received('replay');
    expect(log).toHaveLength(2);
    expect(log.map((e) => e.id)).toEqual([msg!.id, msg!.id]);
    expect(log.every((e) => e.verified)).toBe(true);
    expect(log[1]!.raw).toBe(log[0]!.raw);
    expect((await deliveriesOf(alert.id))[0]).toMatchObject({ status: 'delivered', attempts: 2 });
  });

  it('is refused while an attempt is in flight, and 404 for an unknown delivery', async () => {
    const queue = recordingQueue();
    await createAlert('inflight');
    const [msg] = await crossIntoHotLead(queue, member('inflight'));
    await env.DB.prepare('UPDATE alert_deliveries SET lease_until = ?2 WHERE id = ?1')
      .bind(msg!.id, Date.now() + 20_000)
      .run();
    const busy = await requestWithQueue(queue, `/api/deliveries/${msg!.id}/replay`, {}, ADMIN);
    expect(busy.status).toBe(409);
    expect((await json(busy)).error.code).toBe('in_flight');
    expect((await requestWithQueue(queue, '/api/deliveries/msg_nope/replay', {}, ADMIN)).status).toBe(404);
  });
});

describe('where messages may go', () => {
  it('a private target stored behind the API’s back is refused at send time, without a request', async () => {
    const queue = recordingQueue();
    const alert = await createAlert('ssrf');
    await env.DB.prepare(`UPDATE alerts SET destination = json_set(destination, '$.url', 'https://10.0.0.1/hook') WHERE id = ?1`)
      .bind(alert.id)
      .run();
    const [msg] = await crossIntoHotLead(queue, member('ssrf'));
    await consume([msg!], queue);
    expect((await deliveriesOf(alert.id))[0]).toMatchObject({
      status: 'failed',
      last_error: 'refused_target',
      response_excerpt: 'refused: private_address',
    });
    expect(queue.take()).toEqual([]);
  });

  it('loopback receivers need local dev with ALLOW_PRIVATE_WEBHOOKS', async () => {
    const queue = recordingQueue();
    const alert = await createAlert('loopback');
    const [msg] = await crossIntoHotLead(queue, member('loopback'));
    await consume([msg!], queue, { env: { ALLOW_PRIVATE_WEBHOOKS: 'false' } });
    expect((await deliveriesOf(alert.id))[0]).toMatchObject({ status: 'failed', last_error: 'refused_target' });
    expect(await received('loopback')).toHaveLength(0);
  });

  it('Slack: text and blocks, no signature headers, at most one request per second per destination', async () => {
    const queue = recordingQueue();
    await createAlert('slack', { destination: { url: hookUrl('slack'), format: 'slack', language: 'en' } });
    await createAlert('slack', {
      name: 'second alert, same channel',
      destination: { url: hookUrl('slack'), format: 'slack', language: 'en' },
    });
    const msgs = await crossIntoHotLead(queue, member('slack'));
    expect(msgs).toHaveLength(2);
    await consume(msgs, queue);
    const log = await received('slack');
    expect(log).toHaveLength(2);
    expect(Math.abs(log[1]!.arrivedAt - log[0]!.arrivedAt)).toBeGreaterThanOrEqual(950);
    for (const e of log) {
      expect(e.signature).toBeNull();
      expect(typeof e.body.text).toBe('string');
      expect(Array.isArray(e.body.blocks)).toBe(true);
    }
    expect(log[0]!.body.text).toContain('entered “ホットリード” with a score of');
  });
});
