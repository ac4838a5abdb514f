/**
 * A writes queue that keeps what decides send it: nothing reaches D1 through it, and the writes
 * tracker counts each message done, so `drainWrites` does not wait for a consumer that never runs.
 * Used where a test asserts what a page handed to the queue (rewrite mode's tests).
 */
import { pagesOf, type WriteMessage } from '../../worker/services/writes/message';
import { settled } from '../../worker/services/writes/tracker';

/**
 * @example
 *   const { sent, queue } = recordingWritesQueue();
 *   await throughEdge('/page', { env: { ...env, WRITES_QUEUE: queue } });
 *   sent[0]?.events; // what the page would have stored
 */
export function recordingWritesQueue(): { sent: WriteMessage[]; queue: Queue } {
  const sent: WriteMessage[] = [];
  // A message may hold several pages (worker/services/writes/send-together.ts): kept page by page.
  const send = async (msg: unknown) => {
    const pages = pagesOf(msg) ?? [];
    sent.push(...pages);
    settled(pages.length);
  };
  // Only `send` is used by a decide; the rest of the binding's surface is never reached.
  return { sent, queue: { send } as unknown as Queue };
}
