/**
 * @module
 * The alert tests' side of the webhook receiver (scripts/webhook-receiver.mjs, in Node): scripting
 * its answers, reading what it received (with its own signature verdict), creating alerts through
 * the admin API, and driving the queue consumer by hand with a queue that only records what it is
 * given (the rest — D1, the receiver, HTTP — is real).
 */
import { createExecutionContext, createMessageBatch, getQueueResult, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { inject } from 'vitest';
import type { ReceivedEntry, ScriptedResponse } from '../../../scripts/webhook-receiver.mjs';
import app from '../../../worker/index';
import type { AlertWithSecret } from '../../../worker/schema/alerts';
import { handleAlertBatch } from '../../../worker/services/alerts/consumer';
import { serviceContext } from '../../../worker/services/context';
import type { AlertMessage } from '../../../worker/services/alerts/outbox';
import { ADMIN, SERVER, call, eid, json, post } from '../helpers';

export const RECEIVER = inject('receiverUrl');
export const hookUrl = (name: string) => `${RECEIVER}/hooks/${encodeURIComponent(name)}`;

export async function script(name: string, spec: { secret?: string; responses?: ScriptedResponse[] }): Promise<void> {
  const res = await fetch(`${RECEIVER}/__script/${encodeURIComponent(name)}`, { method: 'PUT', body: JSON.stringify(spec) });
  if (res.status !== 204) throw new Error(`receiver refused the script: ${res.status}`);
}

export async function received(name: string): Promise<ReceivedEntry[]> {
  return (await (await fetch(`${RECEIVER}/__log/${encodeURIComponent(name)}`)).json()) as ReceivedEntry[];
}

/** Waits until `name` has received `n` requests (or fails after `timeoutMs`). */
export async function waitForReceived(name: string, n: number, timeoutMs = 10_000): Promise<ReceivedEntry[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const log = await received(name);
    if (log.length >= n) return log;
    if (Date.now() > until) throw new Error(`receiver ${name}: ${log.length} of ${n} requests after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Creates an alert through the admin API and registers its secret with the receiver. */
export async function createAlert(hook: string, over: Record<string, unknown> = {}): Promise<AlertWithSecret> {
  const res = await post(
    '/api/alerts',
    {
      name: `alert for ${hook}`,
      trigger: { type: 'segment_entered', segment: 'hot_lead' },
      destination: { url: hookUrl(hook), format: 'standard', language: 'ja' },
      cooldownDays: 7,
      ...over,
    },
    ADMIN,
  );
  if (res.status !== 201) throw new Error(`create alert: ${res.status} ${await res.text()}`);
  const alert = await json<AlertWithSecret>(res);
  await script(hook, { secret: alert.secret });
  return alert;
}

/** A queue that records what it is given, and delivers nothing by itself. */
export function recordingQueue() {
  const sent: { body: AlertMessage; delaySeconds?: number }[] = [];
  const queue = {
    sent,
    async send(body: AlertMessage, opts?: QueueSendOptions) {
      sent.push({ body, delaySeconds: opts?.delaySeconds });
    },
    async sendBatch(messages: Iterable<MessageSendRequest<AlertMessage>>) {
      for (const m of messages) sent.push({ body: m.body, delaySeconds: m.delaySeconds });
    },
    /** Takes (and forgets) what was sent so far. */
    take() {
      return sent.splice(0, sent.length);
    },
  };
  return queue;
}
export type RecordingQueue = ReturnType<typeof recordingQueue>;

/**
 * A request through the real worker whose fired alerts land in `queue` instead of the real
 * alerts queue (so a test decides when and how the consumer runs).
 */
export async function requestWithQueue(
  queue: Pick<RecordingQueue, 'send' | 'sendBatch'>,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
  method = body === undefined ? 'GET' : 'POST',
) {
  const ctx = createExecutionContext();
  const req = new Request(`http://edge.test${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const res = await app.fetch(req, { ...env, ALERTS_QUEUE: queue as unknown as Queue }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

let seq = 0;
/**
 * Runs the consumer on `messages` as one batch, the way the queue would, with `d1` (default: the
 * test's D1) as its storage. Retries go to `queue`.
 * Returns the batch's ack/retry state.
 */
export async function consume(
  messages: AlertMessage[],
  queue: RecordingQueue,
  opts: { env?: Partial<Cloudflare.Env>; d1?: D1Database; now?: number; queueName?: string } = {},
) {
  const batch = createMessageBatch<AlertMessage>(
    opts.queueName ?? 'dashiwake-alerts',
    messages.map((body) => ({ id: `m${++seq}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  const svc = serviceContext(opts.d1 ?? env.DB, { ...env, ...opts.env } as Cloudflare.Env);
  await handleAlertBatch(batch, svc, {
    producer: queue as unknown as Queue<AlertMessage>,
    now: opts.now,
  });
  return getQueueResult(batch, ctx);
}

/** Removes every alert (each test states its own) and stamps a new configuration version. */
export async function resetAlerts(): Promise<void> {
  await env.DB.batch([
    env.DB.prepare('DELETE FROM alerts'),
    env.DB.prepare(`UPDATE settings SET value = json_quote(?1) WHERE key = 'config_version'`).bind(`alerts-reset-${crypto.randomUUID()}`),
  ]);
}

export const HOT_TRAITS = { company: '株式会社サンプル', industry: 'SaaS', employees: 120 };

/**
 * Makes a member cross into the demo's hot_lead (target traits, a pricing page view, then a
 * download) through the server API; returns the queue messages the crossing produced.
 */
export async function crossIntoHotLead(
  queue: RecordingQueue,
  memberId: string,
  traits: Record<string, unknown> = HOT_TRAITS,
): Promise<AlertMessage[]> {
  const put = await call('PUT', `/v1/server/members/${encodeURIComponent(memberId)}`, { traits }, SERVER);
  if (put.status !== 200) throw new Error(`traits: ${put.status}`);
  for (const e of [
    { id: eid('pv'), type: 'page_view', props: { category: 'pricing' } },
    { id: eid('dl'), type: 'download', props: { asset: 'guide', kind: 'document' } },
  ]) {
    const res = await requestWithQueue(queue, '/v1/server/collect', { memberId, events: [e] }, SERVER);
    if (res.status !== 200) throw new Error(`collect: ${res.status} ${await res.text()}`);
  }
  return queue.take().map((s) => s.body);
}

/** The delivery rows of an alert, oldest first. */
export async function deliveriesOf(alertId: string) {
  const { results } = await env.DB.prepare('SELECT * FROM alert_deliveries WHERE alert_id = ?1 ORDER BY created_at, id')
    .bind(alertId)
    .all<Record<string, any>>();
  return results;
}
