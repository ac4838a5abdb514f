/**
 * @module
 * The one decision behind `POST /v1/decide` and the edge's rewrite mode: apply the page's events
 * to the visitor's profile, resolve the segment, decide each slot (worker/core/decide.ts) and
 * store events and new exposures in one batch — one read, one write.
 *
 * The two callers differ only in what they know when: the API gets every slot name in the
 * request, while the rewriter meets slots one by one as the page streams past. So the decision
 * hands back, besides the slots asked for, a `Decided` that decides further slots from the same
 * snapshot of the profile (same segment, same sticky arms).
 */
import { decideSlots } from '../core/decide';
import type { NormalizedEvent } from '../core/types';
import type { DecideResponse, Decision } from '../schema/api';
import { withDeadline } from './deadline';
import type { ExposureRow, ProfileState } from './profile-store';
import { updateProfile, type Outcome, type PipelineContext } from './pipeline';
import { ErasedError } from './tombstones';
import { writeMessage, type WriteMessage } from './writes/message';
import { queued, settled } from './writes/tracker';

/** A decide that takes longer than this answers with default content instead. */
export const DECIDE_DEADLINE_MS = 1000;

export interface DecideInput {
  visitorId: string;
  /** Slot names, without repeats. */
  slots: string[];
  /** Validated events of this page (page_view first-hand from the snippet or made by the edge). */
  events: NormalizedEvent[];
}

/** A visitor's decision, as the slots asked for saw it, and for any slot met later. */
export interface Decided {
  segment: { key: string; name: string } | null;
  slots: Record<string, Decision | null>;
  /**
   * Decides more slots from the same snapshot. Arms entered here are not stored yet: they are
   * returned, for the caller to store once it knows the page showed them.
   */
  more(slots: string[]): { slots: Record<string, Decision | null>; exposures: ExposureRow[] };
}

export interface DecideOptions {
  /** The profile read, already started by the caller (rewrite mode starts it beside the origin fetch). */
  firstRead?: Promise<ProfileState>;
  /**
   * Called with the decision before anything is stored. If it throws, nothing is stored: the
   * rewriter throws when it gave up waiting and sent the page with its defaults.
   */
  onDecided?: (decided: Decided) => void;
}

/**
 * Decides `input.slots` for a visitor and stores the page's events and the arms entered.
 * Resolves after the write; throws on storage errors (callers fail open).
 * @example
 *   const out = await decideVisitor(ctx, { visitorId, slots: ['hero'], events });
 *   out.extra.slots.hero // { variant, experiment, arm, content } | null
 */
export async function decideVisitor(ctx: PipelineContext, input: DecideInput, opts: DecideOptions = {}): Promise<Outcome<Decided>> {
  let decided: Decided | undefined;
  let shown: ExposureRow[] = [];
  return updateProfile(ctx, { kind: 'visitor', visitorId: input.visitorId }, input.events, {
    write: true,
    firstRead: opts.firstRead,
    step: ({ config, profile, segment }) => {
      // A retry (a concurrent write won) decides again for /v1/decide, whose answer is sent after
      // the write; a page that may already show the first decision stores the arms it showed.
      if (decided && opts.onDecided) return { extra: decided, exposures: shown.filter((x) => !profile.exposures[x.experiment]) };
      const key = segment?.key ?? null;
      const first = decideSlots(config, key, input.slots, input.visitorId, profile);
      shown = first.exposures;
      decided = {
        segment: segment ? { key: segment.key, name: segment.name } : null,
        slots: first.slots,
        // `profile` is the object the pipeline stores: once this batch is written it holds the
        // arms entered here, so a later slot of the same experiment is not counted twice.
        more: (slots) => decideSlots(config, key, slots, input.visitorId, profile),
      };
      opts.onDecided?.(decided);
      return { extra: decided, exposures: first.exposures };
    },
  });
}

/** Where a queued decide sends its writes. */
export type WritesProducer = Pick<Queue<WriteMessage>, 'send'>;

/**
 * Decides `input.slots` after one read and hands the page's writes to the writes queue instead
 * of waiting for D1 (services/writes/consumer.ts applies them). The answer is the one
 * `decideVisitor` gives: the page's events are applied to the profile in memory first. If the
 * queue refuses the message (or it is too large for one), the write is made inline, as before:
 * slower, never lost.
 * @example
 *   const out = await decideQueued(ctx, { visitorId, slots: ['hero'], events }, env.WRITES_QUEUE);
 */
export async function decideQueued(ctx: PipelineContext, input: DecideInput, queue: WritesProducer): Promise<Outcome<Decided>> {
  let entered: ExposureRow[] = [];
  const out = await updateProfile(ctx, { kind: 'visitor', visitorId: input.visitorId }, input.events, {
    write: false,
    step: ({ config, profile, segment }) => {
      const key = segment?.key ?? null;
      const first = decideSlots(config, key, input.slots, input.visitorId, profile);
      entered = first.exposures;
      const decided: Decided = {
        segment: segment ? { key: segment.key, name: segment.name } : null,
        slots: first.slots,
        more: (slots) => decideSlots(config, key, slots, input.visitorId, profile),
      };
      return { extra: decided, exposures: first.exposures };
    },
  });
  if (out.state.erased) throw new ErasedError('subject was erased');
  const fresh = input.events.filter((e) => !out.state.seenEventIds.has(e.id));
  if (!fresh.length && !entered.length) return out;
  const msg = writeMessage(input.visitorId, fresh, entered, ctx.now);
  if (msg) {
    queued(1);
    try {
      await queue.send(msg, { contentType: 'json' });
      return out;
    } catch (err) {
      settled(1);
      console.error(`writes: queue send failed, writing inline: ${String((err as Error)?.message ?? err)}`);
    }
  }
  const shown = entered;
  await updateProfile(ctx, { kind: 'visitor', visitorId: input.visitorId }, fresh, {
    write: true,
    step: ({ profile }) => ({ extra: undefined, exposures: shown.filter((x) => !profile.exposures[x.experiment]) }),
  });
  return out;
}

/**
 * `/v1/decide`'s answer: the decision within `DECIDE_DEADLINE_MS`, or every slot null with
 * `degraded: true` when storage is slow or failing (visitors never see an error).
 * @example
 *   return c.json(await decideAnswer(ctx, { visitorId, slots, events }), 200);
 */
export async function decideAnswer(
  ctx: PipelineContext,
  input: DecideInput,
  deadlineMs = DECIDE_DEADLINE_MS,
  /** The writes queue: given, the answer waits for one read only (`decideQueued`). */
  queue?: WritesProducer,
): Promise<DecideResponse> {
  const defaults = (): DecideResponse => ({
    visitorId: input.visitorId,
    segment: null,
    slots: Object.fromEntries(input.slots.map((s) => [s, null])),
  });
  try {
    const out = await withDeadline(queue ? decideQueued(ctx, input, queue) : decideVisitor(ctx, input), deadlineMs);
    return { visitorId: input.visitorId, segment: out.extra.segment, slots: out.extra.slots };
  } catch (err) {
    // Erased moments ago: the page keeps its default content and nothing is kept to resend.
    if (err instanceof ErasedError) return defaults();
    console.error('decide degraded', err);
    return { ...defaults(), degraded: true };
  }
}
