/**
 * @module
 * Decides' profile reads of one isolate made together (docs/storage.md#reads-together): the
 * decides whose read is ready in the same turn of the event loop share one D1 call — one
 * statement per 50 visitors (`readStates`, the writes consumer's read) — instead of one call each.
 * What a D1 call costs is mostly per call, not per row: on Cloudflare a round trip to the
 * database's region, locally D1's plumbing on the edge's own thread. A read alone in its turn is
 * the single visitor's statement, as before; either way each decide gets the state its own
 * statement would have read (`visitorStatesStatement` is that statement, one row per visitor).
 *
 * The call is made from the request that opened the turn, through its own D1 handle (metered,
 * gated by its rate-limit verdict, with the local injected delay). The others watch a flag the
 * opener sets, from their own request (lib/turns.ts says why). If the outcome has not come within
 * {@link READ_ALONE_AFTER_MS} (the opener was cancelled with its call) or the shared call failed,
 * each reads on its own.
 */
import { doneWithin, nextTurn } from '../lib/turns';
import type { ServiceContext } from './context';
import { type ProfileState, readVisitorState, type VisitorRead } from './profile-store';
import { readStates } from './writes/shared-batch';

/** A read whose shared call has not answered by then is made alone (well within the decide's deadline). */
export const READ_ALONE_AFTER_MS = 500;

/** How a decide reads a visitor when it must: `readVisitorState`'s answer. */
export type VisitorReader = (visitorId: string, eventIds: string[]) => Promise<ProfileState>;

/** A read waiting for its turn's call, and the outcome its decide watches. */
interface Waiting {
  read: VisitorRead;
  outcome: { done: boolean; state: ProfileState | null };
}

/** Reads waiting for the next call, per D1 binding. */
const turns = new WeakMap<object, Waiting[]>();

/**
 * A reader for one request whose reads join the other requests' of the same turn. `pool` is the
 * D1 binding they share (`env.DB`), `ctx.d1` this request's handle; `ready` is what must settle
 * before this request may cost storage anything (its rate-limit verdict: a refused request joins
 * no read, and throws its refusal).
 * @example const read = readTogether(readPool(c.env), { d1, now }, gate.verdict); const state = await read(visitorId, ['e1']);
 */
export function readTogether(pool: object, ctx: Pick<ServiceContext, 'd1' | 'now'>, ready?: Promise<unknown>): VisitorReader {
  return async (visitorId, eventIds) => {
    await ready;
    const waiting: Waiting = { read: { visitorId, eventIds, now: ctx.now }, outcome: { done: false, state: null } };
    const open = turns.get(pool);
    if (open) {
      open.push(waiting);
      await doneWithin(waiting.outcome, READ_ALONE_AFTER_MS);
      return waiting.outcome.state ?? readVisitorState(ctx, visitorId, eventIds);
    }
    const turn = [waiting];
    turns.set(pool, turn);
    // After this turn: every read made ready in it joins.
    await nextTurn();
    if (turns.get(pool) === turn) turns.delete(pool);
    if (turn.length === 1) return readVisitorState(ctx, visitorId, eventIds);
    // Null for every read when the call fails: each then reads on its own.
    const states = await readStates(
      ctx,
      turn.map((w) => w.read),
    );
    turn.forEach((w, i) => {
      w.outcome.state = states[i] ?? null;
      w.outcome.done = true;
    });
    return states[0] ?? readVisitorState(ctx, visitorId, eventIds);
  };
}
