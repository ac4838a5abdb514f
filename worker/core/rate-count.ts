/**
 * @module
 * How the isolate counts a rate-limit key before the binding hears of it
 * (docs/storage.md#rate-limits-counted-in-the-isolate): for one counter key (a visitor id, a client
 * address), which requests the isolate lets through on its own, counting them, and which must ask
 * the binding, reporting them as the call's `delta`.
 *
 * A visitor browsing a site sends a page or two a minute, far under the limit, and each page used
 * to cost a call to the binding before its decide could store anything. Here the isolate counts a
 * key's requests in each of the binding's windows (fixed, aligned to the clock: {@link PERIOD_MS});
 * every {@link REPORT_EVERY}th request asks the binding with a `delta` of the requests since the
 * last call, itself included, so a key that could come near the limit is counted by the binding
 * — a few requests late — and a key that sends fewer costs no call. A key the binding refused is
 * refused here, without a call, until its window ends.
 *
 * What this gives away, per window and per isolate that serves the key: at most
 * 2 × {@link REPORT_EVERY} − 1 requests past the limit (the last call the binding allows may
 * report that many at once, and the isolate lets that many − 1 through before it asks again),
 * and the last requests of a window (fewer than {@link REPORT_EVERY}) are never reported — the
 * window is over. The binding itself is approximate per location. Pure: the state lives in
 * worker/middleware/rate-limit.ts.
 */
import type { Millis } from './types';

/** Every how many requests of a key in a window the isolate asks the binding. */
export const REPORT_EVERY = 6;
/** The binding's window (wrangler.toml `period = 60`): counts start over, and a refusal ends, with it. */
export const PERIOD_MS = 60_000;

/** What the isolate remembers of one key. */
export interface KeyCount {
  /** The window this count is for (`windowOf`). */
  window: number;
  /** Requests let through in it and not reported to the binding yet. */
  unreported: number;
  /** Refused in this window: every request is refused without a call until it ends. */
  refused: boolean;
}

/** What to do with one request. `ask`: call the binding with this `delta` (this request + the unreported ones). */
export type CountStep = { kind: 'allow' } | { kind: 'refuse' } | { kind: 'ask'; delta: number };

/** The binding's window `now` falls in. */
export function windowOf(now: Millis): number {
  return Math.floor(now / PERIOD_MS);
}

/** The key's count as of `now` (a count of a window that is over starts over). */
function current(count: KeyCount | undefined, now: Millis): KeyCount {
  const window = windowOf(now);
  return count && count.window === window ? count : { window, unreported: 0, refused: false };
}

/**
 * @example
 *   countStep(undefined, now) // → { kind: 'allow' }
 *   countStep({ window: windowOf(now), unreported: 5, refused: false }, now) // → { kind: 'ask', delta: 6 }
 */
export function countStep(count: KeyCount | undefined, now: Millis): CountStep {
  const c = current(count, now);
  if (c.refused) return { kind: 'refuse' };
  if (c.unreported + 1 < REPORT_EVERY) return { kind: 'allow' };
  return { kind: 'ask', delta: c.unreported + 1 };
}

/**
 * The key's count once this request is counted: `allow` adds it to the unreported ones; `ask`
 * hands them to the call (a request arriving while the binding answers starts counting again,
 * so nothing is reported twice); `refuse` changes nothing (a refused request is not counted).
 * @example counted(undefined, { kind: 'allow' }, now) // → { window: windowOf(now), unreported: 1, refused: false }
 */
export function counted(count: KeyCount | undefined, step: CountStep, now: Millis): KeyCount {
  const c = current(count, now);
  if (step.kind === 'allow') return { ...c, unreported: c.unreported + 1 };
  if (step.kind === 'ask') return { ...c, unreported: 0 };
  return c;
}

/**
 * The key's count once the binding answered an `ask` made at `askedAt`: refused, every request
 * is refused until that window ends; allowed, counting goes on.
 * @example answered(count, false, askedAt) // → { …, refused: true }
 */
export function answered(count: KeyCount | undefined, allowed: boolean, askedAt: Millis): KeyCount {
  // The window ended while the binding answered: the new window's count is not this answer's.
  if (count && count.window !== windowOf(askedAt)) return count;
  const c = current(count, askedAt);
  return allowed ? c : { ...c, refused: true };
}
