/**
 * @module
 * Slack accepts about one message per second per incoming webhook and answers bursts with 429.
 * Each send to a Slack destination reserves the next free second in D1 (one upsert, atomic
 * across isolates and consumer invocations); the caller waits for its slot, or re-queues the
 * message when the slot is further away than is worth holding the consumer for.
 */
import type { ServiceContext } from '../context';

export const SLACK_INTERVAL_MS = 1000;

async function destinationKey(url: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(url));
  return Array.from(new Uint8Array(digest).slice(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Reserves a send slot for `url`; returns how many ms to wait before using it (0 = now). `now` is
 * the attempt's own time (it may run well after its batch began).
 * @example const wait = await reserveSlot(ctx, url, Date.now());
 */
export async function reserveSlot(
  { d1 }: Pick<ServiceContext, 'd1'>,
  url: string,
  now: number,
  intervalMs = SLACK_INTERVAL_MS,
): Promise<number> {
  const row = await d1
    .prepare(
      `INSERT INTO webhook_pacing (destination, next_at) VALUES (?1, ?2 + ?3)
       ON CONFLICT(destination) DO UPDATE SET next_at = MAX(webhook_pacing.next_at, ?2) + ?3
       RETURNING next_at`,
    )
    .bind(await destinationKey(url), now, intervalMs)
    .first<{ next_at: number }>();
  const slot = (row?.next_at ?? now + intervalMs) - intervalMs;
  return Math.max(0, slot - now);
}
