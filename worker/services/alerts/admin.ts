/**
 * @module
 * The console's side of alerts: definitions (never with their secret once created), the
 * delivery log, "Send test" (one synchronous attempt with a sample member, recorded in the log)
 * and replay (the same delivery, so the same `webhook-id`, sent again through the queue).
 */
import { and, desc, eq, lt } from 'drizzle-orm';
import { schema } from '../../db/client';
import { parseJsonColumn } from '../../lib/json-column';
import type { Alert, Delivery, DeliveryDetail, DeliveryStatus, TestSendResult } from '../../schema/alerts';
import type { ServiceContext } from '../context';
import { attemptDelivery } from './attempt';
import { newDeliveryId, newToken } from './outbox';
import { samplePayload } from './payload';

type AlertRow = typeof schema.alerts.$inferSelect;
type DeliveryRow = typeof schema.alertDeliveries.$inferSelect;

/** An alert row as the API shows it: everything but the secret and the console origin. */
export function toAlert(r: AlertRow): Alert {
  return {
    id: r.id,
    name: r.name,
    enabled: r.enabled,
    trigger: r.trigger,
    destination: r.destination,
    cooldownDays: r.cooldownDays,
    disabledReason: r.disabledReason ?? null,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

function toDelivery(r: DeliveryRow, alertName: string | null): Delivery {
  return {
    id: r.id,
    alertId: r.alertId,
    alertName,
    memberId: r.memberId ?? null,
    kind: r.kind === 'test' ? 'test' : 'alert',
    status: r.status,
    attempts: r.attempts,
    lastStatusCode: r.lastStatusCode ?? null,
    lastError: r.lastError ?? null,
    createdAt: r.createdAt,
    deliveredAt: r.deliveredAt ?? null,
    nextAttemptAt: r.status === 'pending' ? r.nextAttemptAt : null,
    snapshot: r.snapshot ?? {},
  };
}

export interface DeliveryFilter {
  alert?: string;
  member?: string;
  status?: DeliveryStatus;
  limit: number;
  before?: number;
}

/**
 * The log, newest first; `nextBefore` pages on (null at the end).
 * @example await listDeliveries(c.var.svc, {alert: 'alt_1', limit: 50})
 */
export async function listDeliveries(
  { db }: Pick<ServiceContext, 'db'>,
  f: DeliveryFilter,
): Promise<{ items: Delivery[]; nextBefore: number | null }> {
  const d = schema.alertDeliveries;
  const where = and(
    f.alert ? eq(d.alertId, f.alert) : undefined,
    f.member ? eq(d.memberId, f.member) : undefined,
    f.status ? eq(d.status, f.status) : undefined,
    f.before !== undefined ? lt(d.createdAt, f.before) : undefined,
  );
  const rows = await db
    .select({ d, name: schema.alerts.name })
    .from(d)
    .leftJoin(schema.alerts, eq(schema.alerts.id, d.alertId))
    .where(where)
    .orderBy(desc(d.createdAt), desc(d.id))
    .limit(f.limit + 1);
  const page = rows.slice(0, f.limit);
  return {
    items: page.map((r) => toDelivery(r.d, r.name ?? null)),
    nextBefore: rows.length > f.limit ? (page.at(-1)?.d.createdAt ?? null) : null,
  };
}

/** @example const detail = await deliveryDetail(c.var.svc, 'dlv_…'); // null when there is none */
export async function deliveryDetail({ db }: Pick<ServiceContext, 'db'>, id: string): Promise<DeliveryDetail | null> {
  const row = await db
    .select({ d: schema.alertDeliveries, name: schema.alerts.name })
    .from(schema.alertDeliveries)
    .leftJoin(schema.alerts, eq(schema.alerts.id, schema.alertDeliveries.alertId))
    .where(eq(schema.alertDeliveries.id, id))
    .get();
  if (!row) return null;
  return {
    ...toDelivery(row.d, row.name ?? null),
    responseExcerpt: row.d.responseExcerpt ?? null,
    payload: parseJsonColumn(row.d.payload, null),
  };
}

/**
 * Sends a sample message now and reports what the receiver answered (no retries: a test is
 * one attempt). The attempt is in the delivery log like any other, and can be replayed.
 * @example const result = await sendTest(c.var.svc, alertRow); // {deliveryId, ok, status, …}
 */
export async function sendTest(ctx: ServiceContext, alert: AlertRow): Promise<TestSendResult> {
  const { d1, now } = ctx;
  const id = newDeliveryId();
  const token = newToken();
  const payload = await samplePayload(ctx, { ...toAlert(alert), consoleOrigin: alert.consoleOrigin }, id);
  await d1
    .prepare(
      `INSERT INTO alert_deliveries (id, alert_id, member_id, kind, status, attempts, retry_index, token, next_attempt_at, snapshot, payload, created_at, updated_at)
     VALUES (?1, ?2, NULL, 'test', 'pending', 0, 0, ?3, ?4, ?5, ?6, ?4, ?4)`,
    )
    .bind(
      id,
      alert.id,
      token,
      now,
      JSON.stringify({ score: payload.score.value, tier: payload.score.tier, segment: payload.segment?.key ?? null }),
      JSON.stringify(payload),
    )
    .run();
  const out = await attemptDelivery(ctx, { id, token }, { now, retries: false });
  const send = out.kind === 'attempted' ? out.send : null;
  const verdict = out.kind === 'attempted' ? out.verdict : null;
  return {
    deliveryId: id,
    ok: verdict?.next === 'delivered',
    status: send?.result.kind === 'response' ? send.result.status : null,
    error: verdict && verdict.next !== 'delivered' ? verdict.why : out.kind === 'attempted' ? null : 'busy',
    responseExcerpt: send?.excerpt ?? null,
    durationMs: send?.durationMs ?? 0,
  };
}

export type ReplayResult = { ok: true; delivery: Delivery } | { ok: false; why: 'not_found' | 'in_flight' };

/**
 * Puts a delivery back in the queue under the same id (a fresh retry schedule and token; the
 * old token's messages become no-ops). Refused while an attempt is in flight.
 * @example const out = await replayDelivery(c.var.svc, 'dlv_…'); // {ok: true, delivery} or {ok: false, why}
 */
export async function replayDelivery(ctx: Pick<ServiceContext, 'd1' | 'db' | 'env' | 'now'>, id: string): Promise<ReplayResult> {
  const { d1, env, now } = ctx;
  const token = newToken();
  const row = await d1
    .prepare(
      `UPDATE alert_deliveries SET status = 'pending', token = ?2, retry_index = 0, next_attempt_at = ?3, lease_until = NULL, updated_at = ?3
     WHERE id = ?1 AND (lease_until IS NULL OR lease_until <= ?3) RETURNING id`,
    )
    .bind(id, token, now)
    .first<{ id: string }>();
  if (!row) {
    const exists = await d1
      .prepare('SELECT lease_until FROM alert_deliveries WHERE id = ?1')
      .bind(id)
      .first<{ lease_until: number | null }>();
    return { ok: false, why: exists ? 'in_flight' : 'not_found' };
  }
  // If the send fails the row stays pending and due: the sweeper enqueues it within a minute.
  await env.ALERTS_QUEUE.send({ id, token }).catch((err: unknown) => console.error(`alerts: replay enqueue failed: ${String(err)}`));
  const detail = await deliveryDetail(ctx, id);
  return { ok: true, delivery: detail! };
}
