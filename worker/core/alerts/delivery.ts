/**
 * @module
 * What an attempt's answer means and when the next one happens. Delivery is at least once:
 * every attempt carries the same `webhook-id`, so a receiver that saw it already drops it.
 *
 * - 2xx: delivered.
 * - 410 Gone: the receiver is gone for good; the delivery fails and the alert is switched off.
 * - Other 4xx (except 408 and 429): the receiver refuses this message; retrying cannot help.
 * - 5xx, 408, 429, redirects (never followed: a redirect could lead anywhere), timeouts and
 *   network errors: retried on RETRY_DELAYS_S, then failed. A 429's `Retry-After` is honoured
 *   when it asks for longer.
 */

/**
 * Seconds to wait after each failed attempt: the first retry within 10 s, then the Standard
 * Webhooks schedule stretched to cover more than 72 hours (75.6 h in all, 12 attempts).
 * No delay exceeds 12 hours, the longest a Cloudflare Queues message can be delayed.
 */
export const RETRY_DELAYS_S: readonly number[] = [5, 300, 1800, 7200, 18_000, 36_000, 36_000, 43_200, 43_200, 43_200, 43_200];

/** Longest a queue message can be delayed (Cloudflare Queues' limit). */
export const MAX_DELAY_S = 43_200;

export type AttemptResult =
  | { kind: 'response'; status: number; retryAfterS?: number | null }
  | { kind: 'timeout' }
  | { kind: 'network' }
  | { kind: 'refused_target' };

export type Verdict =
  | { next: 'delivered' }
  | { next: 'failed'; disableAlert: boolean; why: string }
  | { next: 'retry'; delayS: number; why: string };

/** Why an attempt did not deliver, in one word for the log (`null` when it did). */
function reason(r: AttemptResult): string {
  if (r.kind !== 'response') return r.kind;
  if (r.status >= 300 && r.status < 400) return 'redirect';
  return `status_${r.status}`;
}

/**
 * The verdict on an attempt, given how many retries this round has already used.
 * @example judge({kind: 'response', status: 503}, 0) // {next: 'retry', delayS: 5, why: 'status_503'}
 * @example judge({kind: 'response', status: 410}, 0) // {next: 'failed', disableAlert: true, why: 'status_410'}
 */
export function judge(r: AttemptResult, retriesUsed: number): Verdict {
  if (r.kind === 'response' && r.status >= 200 && r.status < 300) return { next: 'delivered' };
  const why = reason(r);
  if (r.kind === 'refused_target') return { next: 'failed', disableAlert: false, why };
  if (r.kind === 'response' && r.status === 410) return { next: 'failed', disableAlert: true, why };
  const retryable = r.kind !== 'response' || r.status >= 500 || r.status === 408 || r.status === 429 || (r.status >= 300 && r.status < 400);
  if (!retryable) return { next: 'failed', disableAlert: false, why };
  const scheduled = RETRY_DELAYS_S[retriesUsed];
  if (scheduled === undefined) return { next: 'failed', disableAlert: false, why };
  const asked = r.kind === 'response' && r.status === 429 && r.retryAfterS ? r.retryAfterS : 0;
  return { next: 'retry', delayS: Math.min(MAX_DELAY_S, Math.max(scheduled, asked)), why };
}

/**
 * Seconds from a `Retry-After` header (delta-seconds or an HTTP date), or null.
 * @example retryAfterSeconds('120', 0) // 120
 */
export function retryAfterSeconds(header: string | null, now: number): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

/** Total time the schedule keeps retrying, in seconds (75.6 h). */
export const RETRY_SPAN_S = RETRY_DELAYS_S.reduce((a, b) => a + b, 0);
