/**
 * @module
 * The undelivered-event queue, as pure functions over arrays. Events stay queued until the
 * server has answered for them (2xx = stored, 4xx = invalid), so a lost request is simply sent
 * again later; the server dedupes by event id, so a resend never counts twice.
 */
import { safe } from './safe';

/** A browser event as sent to the server. */
export interface Ev {
  id: string;
  type: string;
  at: string;
  url?: string;
  props: Record<string, unknown>;
}

/** At most this many events wait in storage; the oldest go first when it overflows. */
export const MAX_QUEUE = 200;
/** The server takes at most 50 events per request. */
export const MAX_BATCH = 50;
/** Keeps a request well under keepalive's (and the server's) 64 KB body limit. */
export const MAX_BATCH_BYTES = 48_000;
/** The server refuses browser events older than 30 days; a day of margin for clock skew. */
export const MAX_AGE_MS = 29 * 86_400_000;

/** Appends an event, keeping only the newest `max`. */
export const capped = (q: Ev[], e: Ev, max = MAX_QUEUE) => q.concat(e).slice(-max);

/**
 * Reads the stored queue, dropping anything malformed or too old to be accepted (which would
 * otherwise be retried forever). A NaN age (no or bad `at`) fails the comparison too; a
 * non-array or a null entry throws, and an unreadable queue is an empty one.
 */
export const parseQueue = (raw: string | null | void, now = Date.now()): Ev[] =>
  safe(() =>
    JSON.parse(raw || '[]')
      .filter((e: Ev) => now - Date.parse(e.at) < MAX_AGE_MS)
      .slice(-MAX_QUEUE),
  )() || [];

/**
 * The next batch to send: oldest first, within both limits (once the bytes are used up, later
 * events wait for another batch).
 */
export function pick(q: Ev[], max = MAX_BATCH, bytes = MAX_BATCH_BYTES): Ev[] {
  return q.filter((e) => max-- > 0 && (bytes -= JSON.stringify(e).length) > 0);
}

/** The queue without the given events (the server has answered for them). */
export const without = (q: Ev[], sent: Ev[]) => q.filter((e) => sent.indexOf(e) < 0);
