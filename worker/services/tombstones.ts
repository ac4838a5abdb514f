/**
 * @module
 * Erasure is final. A request that read a profile before an erasure committed must not write it
 * back afterwards, so an erasure leaves tombstones (`m:<member id>`, `v:<visitor id>`) and every
 * write on behalf of a subject checks, in the same statement, that no tombstone is newer than
 * the request's start minus a grace period. The grace covers the time between the erasure taking
 * its timestamp and committing, and clock differences between machines; requests that start
 * later than that write normally (new data after the erasure is the site's to send).
 *
 * A tombstone stores a SHA-256 of the subject, never the id itself: the erased member's id must
 * not stay behind in the database it was erased from.
 */

/** Writes for an erased subject are refused from requests started up to this long after the erasure. */
export const ERASURE_GRACE_MS = 60_000;
/** Tombstones older than this are pruned: no request lives that long. */
export const TOMBSTONE_TTL_MS = 86_400_000;

export const visitorSubject = (visitorId: string) => `v:${visitorId}`;
export const memberSubject = (memberId: string) => `m:${memberId}`;

/**
 * SQL condition "none of these subjects was erased since `since`". Parameters are positional:
 * `subjects` are the numbers of two bound subject parameters (repeat one when there is one
 * subject), `since` the number of the bound `requestStart - ERASURE_GRACE_MS`.
 * @example notErased(8, 9, 10) // "NOT EXISTS (SELECT 1 FROM tombstones WHERE subject IN (?8, ?9) AND at >= ?10)"
 */
export function notErased(a: number, b: number, since: number): string {
  return `NOT EXISTS (SELECT 1 FROM tombstones WHERE subject IN (?${a}, ?${b}) AND at >= ?${since})`;
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
const hex = (bytes: ArrayBuffer) => {
  let out = '';
  for (const b of new Uint8Array(bytes)) out += HEX[b];
  return out;
};

/**
 * Keys this isolate computed lately: every profile write asks for its subject's (the writes
 * consumer, per visitor). When full, the oldest goes (a Map keeps insertion order): clearing it
 * whole made every visitor of the next batches pay a digest again.
 */
const recentKeys = new Map<string, string>();
const RECENT_KEYS = 2_000;

/**
 * The key a subject's tombstone is stored under (SHA-256, so the tombstone does not name whom it
 * erased).
 * @example await tombstoneKey(memberSubject('m-42')) // "9f2c…" (64 hex digits)
 */
export async function tombstoneKey(subject: string): Promise<string> {
  const known = recentKeys.get(subject);
  if (known) return known;
  const key = hex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(subject)));
  if (recentKeys.size >= RECENT_KEYS) recentKeys.delete(recentKeys.keys().next().value as string);
  recentKeys.set(subject, key);
  return key;
}

/** The oldest erasure time a request started at `requestStart` must still respect. */
export const erasedSince = (requestStart: number) => requestStart - ERASURE_GRACE_MS;

/** The visitor or member was erased while (or just before) this request ran: nothing is written. */
export class ErasedError extends Error {}
