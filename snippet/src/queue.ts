/**
 * @module
 * The undelivered-event queue, as pure functions over arrays. Events stay queued until the
 * server has answered for them (2xx = stored, 4xx = invalid), so a lost request is simply sent
 * again later; the server dedupes by event id, so a resend never counts twice.
 */

/** A browser event as sent to the server (CONTRACT §2). */
export interface Ev {
  id: string;
  type: string;
  at: string;
  url?: string;
  props: Record<string, unknown>;
}

/** At most this many events wait in storage; the oldest go first when it overflows. */
export const MAX_QUEUE = 200;
/** The server takes at most 50 events per request. */
export const MAX_BATCH = 50;
/** Keeps a request well under keepalive's (and the server's) 64 KB body limit. */
export const MAX_BATCH_BYTES = 48_000;
/** The server refuses browser events older than 30 days; a day of margin for clock skew. */
export const MAX_AGE_MS = 29 * 86_400_000;

/** Appends events, keeping only the newest `max`. */
export function capped(q: Ev[], add: Ev[], max = MAX_QUEUE): Ev[] {
  return q.concat(add).slice(-max);
}

/**
 * Reads the stored queue, dropping anything malformed or too old to be accepted (which would
 * otherwise be retried forever).
 */
export function parseQueue(raw: string | null, now: number): Ev[] {
  try {
    const q = JSON.parse(raw || '[]');
    return Array.isArray(q)
      ? capped(
          [],
          q.filter((e) => e && typeof e.id == 'string' && typeof e.type == 'string' && now - Date.parse(e.at) < MAX_AGE_MS),
        )
      : [];
  } catch {
    return [];
  }
}

/** The next batch to send: oldest first, skipping events already in flight, within both limits. */
export function pick(q: Ev[], busy: Set<string>, max = MAX_BATCH, bytes = MAX_BATCH_BYTES): Ev[] {
  const out: Ev[] = [];
  for (const e of q) {
    if (out.length >= max) break;
    if (busy.has(e.id)) continue;
    bytes -= JSON.stringify(e).length;
    if (bytes < 0 && out.length) break;
    out.push(e);
  }
  return out;
}

/** The queue without the given event ids (the server has answered for them). */
export function without(q: Ev[], ids: string[]): Ev[] {
  return q.filter((e) => ids.indexOf(e.id) < 0);
}
