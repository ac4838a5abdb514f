/**
 * @module
 * Turns of the event loop, for work that several requests of one isolate share: what is made
 * ready in the same turn goes together (the pages' writes, services/writes/send-together.ts; the
 * decides' reads, services/read-together.ts), from the request that opened the turn.
 *
 * The others learn the outcome by watching a flag that request sets, from their own request, once
 * per turn: a promise settled from another request's context is not safe in workerd — the
 * waiter's continuation then runs in that request, and its I/O fails ("Cannot perform I/O on
 * behalf of a different request") once that request ended.
 */

/** Resolves in the next turn of the event loop (after the work already queued). */
export const nextTurn = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

/**
 * Waits, one turn at a time, until `outcome.done` or `ms` have passed; true if it is done.
 * @example if (!(await doneWithin(outcome, 2_000))) await queue.send(body); // its own send after all
 */
export async function doneWithin(outcome: { readonly done: boolean }, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (!outcome.done) {
    if (Date.now() >= until) return false;
    await nextTurn();
  }
  return true;
}
