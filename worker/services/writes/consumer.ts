/**
 * @module
 * The writes queue consumer (this worker's `queue` handler for `dashiwake-writes`): applies the
 * writes decides handed over, through the same pipeline an inline write takes
 * (services/pipeline.ts) — so scores, caps, conversions and alerts are exactly what they would
 * have been, and the alert outbox row still goes in the same D1 batch as the event that fired it.
 *
 * - Idempotent: the pipeline drops events whose id is already stored for the visitor (unique per
 *   subject) and arms the profile already holds, so a redelivered message writes nothing.
 * - Batched: a visitor's messages are applied in one pipeline run, up to `MAX_EVENTS_PER_WRITE`
 *   events; visitors are applied side by side, and their first runs share one D1 read and one D1
 *   batch (shared-batch.ts): two D1 calls per queue batch instead of two per visitor.
 * - Erasure is final: each message is applied at its request's time, so a tombstone written after
 *   the page refuses it (`ErasedError`), and the message is dropped.
 * - A message whose write fails is retried by the queue with backoff; the others of the batch are
 *   acknowledged on their own. A message holding several pages (message.ts `WriteMessages`) is
 *   acknowledged once all its pages are applied, and retried whole if one fails: its applied pages
 *   then write nothing the second time.
 */
import { nextTurn } from '../../lib/turns';
import { type AlertMessage, bindAlertSink } from '../alerts/outbox';
import type { ServiceContext } from '../context';
import type { ExposureRow, ProfileState } from '../profile-store';
import { updateProfile } from '../pipeline';
import { ErasedError } from '../tombstones';
import { pagesOf, WRITES_DLQ, type WriteMessage } from './message';
import { readStates, type SharedWrite, sharedWrite } from './shared-batch';
import { settled } from './tracker';

/** One page of a queue message, acknowledged or retried on its own account (`pages`). */
type Page = Pick<Message<WriteMessage>, 'body' | 'attempts' | 'ack' | 'retry'>;

/**
 * The pages of a batch's messages. A message is acknowledged when all its pages are, and retried
 * (whole) as soon as one of them is; the writes tracker counts pages, once their message is done.
 */
function pages(messages: readonly Message<unknown>[]): Page[] {
  const out: Page[] = [];
  for (const msg of messages) {
    const bodies = pagesOf(msg.body);
    if (!bodies) {
      console.error('writes: dropped a message this consumer cannot read');
      msg.ack();
      settled(1);
      continue;
    }
    let left = bodies.length;
    let retried = false;
    for (const body of bodies)
      out.push({
        body,
        attempts: msg.attempts,
        ack: () => {
          if (--left === 0 && !retried) {
            msg.ack();
            settled(bodies.length);
          }
        },
        retry: (options) => {
          if (retried) return;
          retried = true;
          msg.retry(options);
        },
      });
  }
  return out;
}

/** D1 binds a statement's JSON up to 2 MB; 500 events stay far below it whatever their props. */
export const MAX_EVENTS_PER_WRITE = 500;

/** Retry delay for attempt n (1-based): 2, 4, 8 … s, at most 5 min — about an hour over 20 tries. */
/**
 * Visitors a batch computes before it lets the isolate's waiting requests run: a full batch is
 * 100 pages, and computing them in one go held every page behind it (docs/storage.md, "Third pass").
 */
const VISITORS_PER_TURN = 10;

export const retryDelayS = (attempts: number) => Math.min(300, 2 ** Math.max(1, attempts));

/** Per visitor, its messages in time order, cut into runs of up to `MAX_EVENTS_PER_WRITE` events. */
function groups(messages: readonly Page[]): Page[][][] {
  const byVisitor = new Map<string, Page[][]>();
  for (const msg of [...messages].sort((a, b) => a.body.now - b.body.now)) {
    const runs = byVisitor.get(msg.body.visitorId) ?? [];
    const last = runs.at(-1);
    const size = last?.reduce((n, m) => n + m.body.events.length, 0) ?? Infinity;
    if (last && size + msg.body.events.length <= MAX_EVENTS_PER_WRITE) last.push(msg);
    else runs.push([msg]);
    byVisitor.set(msg.body.visitorId, runs);
  }
  return [...byVisitor.values()];
}

/**
 * Applies one run of a visitor's messages in one pipeline write. The run is applied at the time
 * of its first message: the erasure check then covers every page of it, and decay and pruning
 * see the same day an inline write would have (messages of a run are seconds apart).
 */
async function applyRun(
  { d1, db }: Pick<ServiceContext, 'd1' | 'db'>,
  run: Page[],
  /** The batch's shared read of this visitor and its shared write (first runs only). */
  together: { state?: ProfileState | null; shared?: SharedWrite } = {},
): Promise<void> {
  const first = run[0]!.body;
  const events = run.flatMap((m) => m.body.events);
  const arms = new Map<string, ExposureRow>();
  for (const m of run) for (const x of m.body.exposures) if (!arms.has(x.experiment)) arms.set(x.experiment, x);
  const { state, shared } = together;
  let handed = false;
  try {
    await updateProfile({ d1, db, now: first.now }, { kind: 'visitor', visitorId: first.visitorId }, events, {
      write: true,
      creditStored: true,
      firstRead: state ? Promise.resolve(state) : undefined,
      firstWrite: shared
        ? (w) => {
            handed = true;
            return shared.write(w);
          }
        : undefined,
      step: ({ profile }) => ({ extra: undefined, exposures: [...arms.values()].filter((x) => !profile.exposures[x.experiment]) }),
    });
  } finally {
    // The shared batch waits for every run: one that wrote nothing must say so.
    if (shared && !handed) shared.skip();
  }
}

/** The event ids a run's read covers: those `updateProfile` asks for. */
const runEventIds = (run: Page[]) => [...new Set(run.flatMap((m) => m.body.events.map((e) => e.id)))];

/**
 * `ctx` is the batch's service context (middleware/db.ts `backgroundContext`; tests hand one over a
 * D1 that fails mid-batch). Each run is applied at its own messages' time, not the batch's.
 * @example export default { queue: (batch, env) => handleWriteBatch(batch, backgroundContext(env)) }
 */
export async function handleWriteBatch(batch: MessageBatch<unknown>, ctx: Pick<ServiceContext, 'd1' | 'db' | 'env'>): Promise<void> {
  const dead = batch.queue === WRITES_DLQ;
  const { d1, env } = ctx;
  // Alerts fired by these writes go to the alerts queue once their batch committed (outbox).
  const alerts = env.ALERTS_QUEUE;
  const sends: Promise<unknown>[] = [];
  if (alerts)
    bindAlertSink(d1, (messages: AlertMessage[]) => {
      sends.push(
        alerts
          .sendBatch(messages.map((body) => ({ body })))
          .catch((err: unknown) => console.error(`alerts: queue send failed, the sweeper will retry: ${String(err)}`)),
      );
    });
  const visitors = groups(pages(batch.messages));
  // Every visitor's first run is read in one D1 batch and written in one D1 batch (shared-batch.ts).
  const firsts = visitors.map((runs) => runs[0]!);
  const states = await readStates(
    ctx,
    firsts.map((run) => ({ visitorId: run[0]!.body.visitorId, eventIds: runEventIds(run), now: run[0]!.body.now })),
  );
  const shared = firsts.length > 1 ? sharedWrite(ctx, firsts.length) : undefined;
  const work: Promise<void>[] = [];
  for (const [v, runs] of visitors.entries()) {
    // The isolate's requests go in between: this batch computes a few visitors per turn.
    if (v > 0 && v % VISITORS_PER_TURN === 0) await nextTurn();
    work.push(
      (async () => {
        // A visitor's runs in order: a later page never lands before an earlier one that failed.
        let failed = false;
        for (const [k, run] of runs.entries()) {
          if (!failed) {
            try {
              await applyRun(ctx, run, k === 0 ? { state: states[v], shared } : {});
            } catch (err) {
              if (!(err instanceof ErasedError)) {
                failed = true;
                console.error(
                  `writes: visitor ${run[0]!.body.visitorId}: ${String((err as Error)?.message ?? err)}${dead ? ' (dead letter: not stored)' : ''}`,
                );
              }
            }
          }
          for (const msg of run) {
            if (failed && !dead) msg.retry({ delaySeconds: retryDelayS(msg.attempts) });
            else msg.ack();
          }
        }
      })(),
    );
  }
  await Promise.all(work);
  await Promise.all(sends);
}
