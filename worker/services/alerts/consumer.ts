/**
 * @module
 * The alerts queue consumer (this worker's `queue` handler) and the dead-letter consumer.
 *
 * Each message is `{id, token}`: "attempt delivery `id` if `token` is still current". A retry is
 * a *new* message carrying a new token, sent with the retry's delay (at most 12 h, the queue's
 * limit) — so a duplicate or stale copy of an old message finds its token replaced and does
 * nothing. Messages of one batch are attempted side by side.
 *
 * An attempt that throws (D1 unavailable, the isolate dying…) is left unacknowledged: the queue
 * redelivers it, and after `max_retries` moves it to the dead-letter queue, whose consumer marks
 * the delivery failed (`dead_letter`) in the log, where it can be replayed.
 */
import { type AlertContext, type AttemptOptions, attemptDelivery } from './attempt';
import type { AlertMessage } from './outbox';

/** Queue names, as in wrangler.toml. */
export const ALERTS_QUEUE = 'dashiwake-alerts';
export const ALERTS_DLQ = 'dashiwake-alerts-dlq';

/** The queue producer the consumer re-enqueues retries on. */
export type AlertProducer = Pick<Queue<AlertMessage>, 'send' | 'sendBatch'>;

async function handleOne(msg: Message<AlertMessage>, ctx: AlertContext, producer: AlertProducer, opts: AttemptOptions): Promise<void> {
  const body = msg.body;
  if (!body || typeof body.id !== 'string' || typeof body.token !== 'string') return msg.ack();
  const out = await attemptDelivery(ctx, body, opts);
  if (out.kind === 'later') return msg.retry({ delaySeconds: Math.max(1, out.delayS) });
  if (out.kind === 'attempted' && out.verdict.next === 'retry' && out.nextToken) {
    // If this send is lost, the row is still pending with a due time: the sweeper re-enqueues it.
    await producer.send({ id: body.id, token: out.nextToken }, { delaySeconds: out.verdict.delayS });
  }
  msg.ack();
}

/**
 * `ctx` is the service context the entry point builds for the batch (middleware/db.ts `backgroundContext`).
 * @example export default { fetch, queue: (batch, env) => handleAlertBatch(batch, backgroundContext(env)) }
 */
export async function handleAlertBatch(
  batch: MessageBatch<AlertMessage>,
  ctx: AlertContext,
  opts: AttemptOptions & { producer?: AlertProducer } = {},
): Promise<void> {
  if (batch.queue === ALERTS_DLQ) return markDeadLetters(batch, ctx.d1);
  const producer = opts.producer ?? ctx.env.ALERTS_QUEUE;
  await Promise.all(
    batch.messages.map((msg) =>
      handleOne(msg, ctx, producer, opts).catch((err) => {
        console.error(`alert delivery ${msg.body?.id}: ${String((err as Error)?.message ?? err)}`);
        msg.retry({ delaySeconds: 5 });
      }),
    ),
  );
}

/** Messages the queue gave up on: their delivery fails with `dead_letter` (replayable). */
async function markDeadLetters(batch: MessageBatch<AlertMessage>, d1: D1Database): Promise<void> {
  const now = Date.now();
  const statements = batch.messages
    .filter((m) => typeof m.body?.id === 'string')
    .map((m) =>
      d1
        .prepare(
          `UPDATE alert_deliveries SET status = 'failed', token = NULL, lease_until = NULL, last_error = 'dead_letter', updated_at = ?3
           WHERE id = ?1 AND token = ?2 AND status = 'pending'`,
        )
        .bind(m.body.id, m.body.token, now),
    );
  if (statements.length) await d1.batch(statements);
  batch.ackAll();
}
