/**
 * @module
 * Counts writes handed to the queue and not yet applied, in this isolate. Locally (`wrangler dev`,
 * the tests) producer and consumer share the isolate, so the count reaching zero means the queue
 * has drained: the tests wait for it before they read D1. In production it means nothing and
 * nothing reads it.
 */
let pending = 0;

/** Messages sent. */
export function queued(n: number): void {
  pending += n;
}

/** Messages applied or dropped for good. */
export function settled(n: number): void {
  pending = Math.max(0, pending - n);
}

/** Writes sent from this isolate and not yet applied. */
export const pendingWrites = () => pending;
