/**
 * @module
 * Pages' writes of one isolate sent together (docs/storage.md#pages-sent-together): the decides
 * whose writes are ready in the same turn of the event loop hand them to the queue as one message
 * (message.ts `WriteMessages`, up to the message size limit) instead of one message each. Each
 * decide still answers only once the queue has accepted the message holding its page, so nothing
 * is answered before it is durable; what changes under load is the number of messages — the
 * queue's work is per message — and of calls: one per turn, not one per page.
 *
 * A batch is sent from the context of the request whose message opened it. If that call never
 * settles for the others (the request was cancelled with it), each of them sends its own message
 * after {@link ALONE_AFTER_MS}: the message may then arrive twice, which the consumer already
 * takes (event ids are stored once, an arm only if the profile has none).
 */
import { doneWithin, nextTurn } from '../../lib/turns';
import { MAX_MESSAGE_BYTES, messageBytes, type WriteMessage, type WriteMessages, type WritesProducer } from './message';

/** A message whose batch has not settled by then is sent on its own. */
export const ALONE_AFTER_MS = 2_000;

/** A message on its way: what the request that sent it found out, for each decide whose page it holds. */
interface Outcome {
  done: boolean;
  error?: unknown;
}

/** A page waiting for the next message, and the outcome its decide watches. */
interface Waiting {
  body: WriteMessage;
  bytes: number;
  outcome: Outcome;
}

/** Pages waiting for the next message, per queue binding. */
const waiting = new WeakMap<Queue<WriteMessage | WriteMessages>, Waiting[]>();

/**
 * A producer for `queue` whose sends of one turn go as one message.
 * @example const producer = sentTogether(env.WRITES_QUEUE); await producer.send(msg, { contentType: 'json' });
 */
export function sentTogether(queue: Queue<WriteMessage | WriteMessages>): WritesProducer {
  return {
    send: async (body) => {
      let turn = waiting.get(queue);
      if (!turn) {
        const opened: Waiting[] = [];
        turn = opened;
        waiting.set(queue, opened);
        // After this turn: every page made ready in it joins.
        void nextTurn().then(() => flush(queue, opened));
      }
      const outcome: Outcome = { done: false };
      turn.push({ body, bytes: messageBytes(body), outcome });
      // Each decide watches its outcome from its own request (lib/turns.ts says why).
      if (!(await doneWithin(outcome, ALONE_AFTER_MS))) return void (await queue.send(body, { contentType: 'json' }));
      if (outcome.error !== undefined) throw outcome.error;
    },
  };
}

async function flush(queue: Queue<WriteMessage | WriteMessages>, turn: Waiting[]): Promise<void> {
  if (waiting.get(queue) === turn) waiting.delete(queue);
  for (const run of chunks(turn)) {
    try {
      const body: WriteMessage | WriteMessages = run.length === 1 ? run[0]!.body : { v: 1, pages: run.map((w) => w.body) };
      await queue.send(body, { contentType: 'json' });
    } catch (err) {
      for (const w of run) w.outcome.error = err;
    }
    for (const w of run) w.outcome.done = true;
  }
}

/** Consecutive runs that fit one message. */
function chunks(list: Waiting[]): Waiting[][] {
  const out: Waiting[][] = [];
  let current: Waiting[] = [];
  let bytes = 0;
  for (const w of list) {
    if (current.length && bytes + w.bytes + 1 > MAX_MESSAGE_BYTES - 20) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(w);
    bytes += w.bytes + 1;
  }
  if (current.length) out.push(current);
  return out;
}
