/**
 * @module
 * The isolate's lease on the rate-limit binding (docs/storage.md#rate-limits-without-a-call-per-page):
 * for one counter key (a visitor id, a client address), when a request must ask the binding and
 * when the isolate may let it through on its own, counting it so the binding still hears of it.
 *
 * A visitor browsing a site sends a page or two a minute, far under the limit, and each page used
 * to cost a call to the binding before its decide could store anything. Here the first request
 * of a key in a window asks the binding; until that window ends the isolate lets up to
 * {@link MAX_UNREPORTED} more through without asking and reports them as the `delta` of its next
 * call, so the binding still counts them — late. A key the binding refused is refused here,
 * without a call, until its window ends (the binding's windows are fixed and aligned to the
 * clock: {@link PERIOD_MS}).
 *
 * What this gives away: a key can pass the limit by at most 2 × {@link MAX_UNREPORTED} requests
 * per window in each isolate that holds a lease on it (the last call the binding allows may report
 * that many, and the lease it grants lets that many more through) — the binding itself is approximate per
 * location — and the last few requests of a window under the limit may never be reported (they
 * belong to a window that is over). Pure: the state lives in worker/middleware/rate-limit.ts.
 */
import type { Millis } from './types';

/** Requests a lease lets through before the isolate must report them to the binding. */
export const MAX_UNREPORTED = 5;
/** The binding's window (wrangler.toml `period = 60`): a refusal holds until it ends. */
export const PERIOD_MS = 60_000;

/** What the isolate remembers of one key. */
export interface Lease {
  /** When the binding last allowed this key (0: never). */
  grantedAt: Millis;
  /** Requests let through since then without asking. */
  unreported: number;
  /** Until when the key is refused without asking (0: not refused). */
  refusedUntil: Millis;
}

/** What to do with one request. `ask`: call the binding with this `delta` (this request + the unreported ones). */
export type LeaseStep = { kind: 'allow' } | { kind: 'refuse' } | { kind: 'ask'; delta: number };

/**
 * @example
 *   leaseStep(undefined, now) // → { kind: 'ask', delta: 1 }
 *   leaseStep({ grantedAt: now - 1000, unreported: 0, refusedUntil: 0 }, now) // → { kind: 'allow' }
 */
export function leaseStep(lease: Lease | undefined, now: Millis): LeaseStep {
  if (!lease) return { kind: 'ask', delta: 1 };
  if (lease.refusedUntil > now) return { kind: 'refuse' };
  const sameWindow = lease.grantedAt > 0 && now < windowEnd(lease.grantedAt);
  if (sameWindow && lease.unreported < MAX_UNREPORTED) return { kind: 'allow' };
  // Unreported requests of a window that is over are not charged to this one.
  return { kind: 'ask', delta: sameWindow ? lease.unreported + 1 : 1 };
}

/**
 * The key's lease once this request is counted: `allow` adds it to the unreported ones; `ask`
 * hands those to the call (a request arriving while the binding answers starts counting again,
 * so nothing is reported twice); `refuse` changes nothing (a refused request is not counted).
 * @example counted(undefined, { kind: 'ask', delta: 1 }) // → { grantedAt: 0, unreported: 0, refusedUntil: 0 }
 */
export function counted(lease: Lease | undefined, step: LeaseStep): Lease {
  const base = lease ?? { grantedAt: 0, unreported: 0, refusedUntil: 0 };
  if (step.kind === 'allow') return { ...base, unreported: base.unreported + 1 };
  if (step.kind === 'ask') return { ...base, unreported: 0 };
  return base;
}

/**
 * The key's lease once the binding answered an `ask`: allowed, a new lease (keeping what was let
 * through meanwhile); refused, no lease and a refusal until the window ends.
 * @example answered(lease, true, now) // → { grantedAt: now, unreported: lease.unreported, refusedUntil: 0 }
 */
export function answered(lease: Lease, allowed: boolean, now: Millis): Lease {
  return allowed
    ? { grantedAt: now, unreported: lease.unreported, refusedUntil: 0 }
    : { grantedAt: 0, unreported: 0, refusedUntil: windowEnd(now) };
}

/** The end of the fixed window `now` falls in. */
export function windowEnd(now: Millis): Millis {
  return (Math.floor(now / PERIOD_MS) + 1) * PERIOD_MS;
}
