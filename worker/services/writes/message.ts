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

/** What a decide needs of the writes queue: a send that resolves once the message is accepted. */
export interface WritesProducer {
  send(message: WriteMessage, options?: QueueSendOptions): Promise<unknown>;
}

/** Queues take messages up to 128 KB; a decide larger than this writes inline instead. */
export const MAX_MESSAGE_BYTES = 120_000;

/**
 * The message, or null when it is too large for a queue message.
 * @example const msg = writeMessage(visitorId, events, exposures, now); if (msg) await queue.send(msg);
 */
export function writeMessage(visitorId: string, events: NormalizedEvent[], exposures: ExposureRow[], now: number): WriteMessage | null {
  const msg: WriteMessage = { v: 1, visitorId, events, exposures, now };
  return messageBytes(msg) <= MAX_MESSAGE_BYTES ? msg : null;
}

const sizes = new WeakMap<WriteMessage, number>();

/**
 * The message's size as the queue counts it (JSON, UTF-8), measured once per message.
 * @example messageBytes(msg) // 412
 */
export function messageBytes(msg: WriteMessage): number {
  let bytes = sizes.get(msg);
  if (bytes === undefined) sizes.set(msg, (bytes = new TextEncoder().encode(JSON.stringify(msg)).length));
  return bytes;
}

/**
 * Several pages' writes in one queue message: the decides of one isolate whose messages were
 * ready in the same turn (send-together.ts). The queue's own work is per message, so under load
 * one message per turn instead of one per page is most of what the queue costs a decide.
 */
export interface WriteMessages {
  v: 1;
  pages: WriteMessage[];
}

/**
 * The pages a queue message holds (one for a single page's message), or null when this consumer
 * cannot read it (it is acknowledged and dropped, with a log line).
 * @example pagesOf({ v: 1, pages: [a, b] }) // [a, b]
 */
export function pagesOf(body: unknown): WriteMessage[] | null {
  if (isWriteMessage(body)) return [body];
  const m = body as WriteMessages | null;
  if (m && m.v === 1 && Array.isArray(m.pages) && m.pages.length > 0 && m.pages.every(isWriteMessage)) return m.pages;
  return null;
}

/** A single page's message. */
export function isWriteMessage(body: unknown): body is WriteMessage {
  const m = body as WriteMessage | null;
  return Boolean(
    m && m.v === 1 && typeof m.visitorId === 'string' && Array.isArray(m.events) && Array.isArray(m.exposures) && typeof m.now === 'number',
  );
}
