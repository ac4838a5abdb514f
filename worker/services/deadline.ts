/**
 * @module
 * Bounds how long a caller waits on storage: past the deadline a visitor gets default content
 * (fail open for visitors) and an API caller a 503 with `Retry-After` (never a 500 after a long wait).
 */
import { ApiError } from '../errors';
import { ERASURE_GRACE_MS, ErasedError } from './tombstones';

/** A server or identify write slower than this answers 503: the caller retries (events are deduped by id). */
export const SERVER_DEADLINE_MS = 5000;
/** A browser collect slower than this answers 503: the snippet keeps the events and resends them (deduped by id). */
export const COLLECT_DEADLINE_MS = 3000;

export class DeadlineError extends Error {}

export function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** 409 for writes on behalf of a member erased moments ago (services/tombstones.ts). */
export function recentlyErased(): ApiError {
  const seconds = String(ERASURE_GRACE_MS / 1000);
  return new ApiError(
    409,
    'recently_erased',
    `This member was erased moments ago; nothing was stored (retry after ${seconds} s to start anew)`,
    undefined,
    {
      'Retry-After': seconds,
    },
  );
}

/**
 * Runs a storage step under the deadline; anything but a client error becomes a 503.
 * @example
 *   const out = await storageStep('server collect', updateProfile(...));
 */
export async function storageStep<T>(label: string, work: Promise<T>, ms = SERVER_DEADLINE_MS): Promise<T> {
  try {
    return await withDeadline(work, ms);
  } catch (err) {
    if (err instanceof ApiError) throw err;
    if (err instanceof ErasedError) throw recentlyErased();
    console.error(`${label} unavailable`, err);
    throw new ApiError(503, 'unavailable', 'Storage is unavailable; retry later', undefined, { 'Retry-After': '5' });
  }
}
