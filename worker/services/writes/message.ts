/**
 * @module
 * What a decide hands to the writes queue instead of writing D1 itself: the page's validated
 * events, the experiment arms it entered, and the request's time. The consumer replays exactly
 * the write the decide would have made, at that time (services/writes/consumer.ts).
 */
import type { NormalizedEvent } from '../../core/types';
import type { ExposureRow } from '../profile-store';

/** Queue names, as in wrangler.toml. */
export const WRITES_QUEUE = 'dashiwake-writes';
export const WRITES_DLQ = 'dashiwake-writes-dlq';

/** One page's writes for one visitor. */
export interface WriteMessage {
  /** Format version, so a consumer never misreads a message an older deployment sent. */
  v: 1;
  visitorId: string;
  /** Validated events (their ids make re-applying a message a no-op). */
  events: NormalizedEvent[];
  /** Arms the page entered; stored unless the profile already holds the experiment. */
  exposures: ExposureRow[];
  /** The request's time: decay, caps, pruning and the erasure check all use it, as inline. */
  now: number;
}

/** Queues take messages up to 128 KB; a decide larger than this writes inline instead. */
export const MAX_MESSAGE_BYTES = 120_000;

/**
 * The message, or null when it is too large for a queue message.
 * @example const msg = writeMessage(visitorId, events, exposures, now); if (msg) await queue.send(msg);
 */
export function writeMessage(visitorId: string, events: NormalizedEvent[], exposures: ExposureRow[], now: number): WriteMessage | null {
  const msg: WriteMessage = { v: 1, visitorId, events, exposures, now };
  return new TextEncoder().encode(JSON.stringify(msg)).length <= MAX_MESSAGE_BYTES ? msg : null;
}

/** A body this consumer can apply (anything else is acknowledged and dropped, with a log line). */
export function isWriteMessage(body: unknown): body is WriteMessage {
  const m = body as WriteMessage | null;
  return Boolean(
    m && m.v === 1 && typeof m.visitorId === 'string' && Array.isArray(m.events) && Array.isArray(m.exposures) && typeof m.now === 'number',
  );
}
