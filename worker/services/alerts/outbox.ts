/**
 * @module
 * The alert outbox: a fired alert is a `pending` row of `alert_deliveries`, inserted by the same
 * D1 batch that stores the event that fired it — so a crash between the two cannot lose the
 * alert or send it without the event. After the batch commits, the row's id goes to the alerts
 * queue; a row whose message never made it (the isolate died first) is re-enqueued by the
 * sweeper (services/alerts/sweep.ts).
 *
 * Handing rows to the queue: the request that wrote them registers a sink on its own D1 handle
 * (middleware/alert-dispatch.ts), and `announceFired` finds it there. Every path that writes
 * behaviour through the request's D1 (decide, collect, server collect, identify) thereby
 * dispatches without threading a queue through each caller; a write with no sink (a
 * background job) simply leaves its rows to the sweeper.
 */

/** One fired alert as written to the outbox. */
export interface OutboxRow {
  /** The delivery id, and the `webhook-id` of every attempt. */
  id: string;
  alertId: string;
  /** The alert's cooldown, re-checked by the insert against stored deliveries. */
  cooldownMs: number;
  /** The queue message allowed to make the first attempt. */
  token: string;
  snapshot: { eventId: string | null; score: number; tier: string; segment: string | null };
}

/** A queue message: "attempt delivery `id`, if `token` is still the current one". */
export interface AlertMessage {
  id: string;
  token: string;
}

/** Random 128-bit id with a readable prefix, e.g. `msg_3f2a…` (Standard Webhooks style). */
export const newDeliveryId = () => `msg_${crypto.randomUUID().replace(/-/g, '')}`;
export const newToken = () => crypto.randomUUID().replace(/-/g, '').slice(0, 16);

/**
 * The outbox insert for one batch. `guard` is the batch's own condition (the profile write
 * applied), with `?1`/`?2` bound to `guardArgs`; a delivery of the same alert to the same
 * member within the cooldown blocks the insert, whatever the profile's memory says.
 * @example statements.push(outboxInsert(d1, rows, memberId, now, guardSql, [targetId, newVersion]));
 */
export function outboxInsert(
  d1: D1Database,
  rows: OutboxRow[],
  memberId: string,
  now: number,
  guard = '1',
  guardArgs: [unknown, unknown] = [null, null],
): D1PreparedStatement {
  return d1
    .prepare(
      `INSERT OR IGNORE INTO alert_deliveries (id, alert_id, member_id, kind, status, attempts, retry_index, token,
         next_attempt_at, snapshot, created_at, updated_at)
       SELECT json_extract(r.value, '$.id'), json_extract(r.value, '$.alertId'), ?3, 'alert', 'pending', 0, 0,
         json_extract(r.value, '$.token'), ?4, json_extract(r.value, '$.snapshot'), ?4, ?4
       FROM json_each(?5) AS r
       WHERE ${guard} AND NOT EXISTS (
         SELECT 1 FROM alert_deliveries d
         WHERE d.alert_id = json_extract(r.value, '$.alertId') AND d.member_id = ?3 AND d.kind = 'alert'
           AND d.created_at > ?4 - json_extract(r.value, '$.cooldownMs'))`,
    )
    .bind(guardArgs[0], guardArgs[1], memberId, now, JSON.stringify(rows));
}

export type AlertSink = (messages: AlertMessage[]) => void;

const sinks = new WeakMap<D1Database, AlertSink>();

/** Registers where the rows written through `d1` (one request's handle) are announced. */
export function bindAlertSink(d1: D1Database, sink: AlertSink): void {
  sinks.set(d1, sink);
}

/**
 * Called once the batch holding `rows` has committed.
 * @example if (applied && w.alerts?.length) announceFired(d1, w.alerts);
 */
export function announceFired(d1: D1Database, rows: OutboxRow[]): void {
  if (!rows.length) return;
  sinks.get(d1)?.(rows.map((r) => ({ id: r.id, token: r.token })));
}
