/**
 * @module
 * The outbox sweeper (cron, every minute): a pending delivery whose attempt is overdue and that
 * nobody holds was never handed to the queue (the isolate ended between the D1 batch and the
 * queue send) or its retry message was lost. It goes back on the queue with its current token;
 * should the original message still turn up, the token and lease make one of them a no-op.
 */
import type { ServiceContext } from '../context';
import type { AlertMessage } from './outbox';

/** Overdue by more than this before the sweeper steps in (the queue normally delivers in ~1 s). */
export const SWEEP_GRACE_MS = 60_000;
const SWEEP_LIMIT = 100;

/**
 * @example await sweepAlertOutbox(backgroundContext(env), env.ALERTS_QUEUE) // number re-enqueued
 */
export async function sweepAlertOutbox(
  { d1, now }: Pick<ServiceContext, 'd1' | 'now'>,
  queue: { sendBatch(messages: Iterable<MessageSendRequest<AlertMessage>>): Promise<unknown> },
): Promise<number> {
  const { results } = await d1
    .prepare(
      `SELECT id, token FROM alert_deliveries
       WHERE status = 'pending' AND next_attempt_at < ?1 AND token IS NOT NULL AND (lease_until IS NULL OR lease_until < ?2)
       ORDER BY next_attempt_at LIMIT ?3`,
    )
    .bind(now - SWEEP_GRACE_MS, now, SWEEP_LIMIT)
    .all<{ id: string; token: string }>();
  if (results.length) await queue.sendBatch(results.map((r) => ({ body: { id: r.id, token: r.token } })));
  return results.length;
}
