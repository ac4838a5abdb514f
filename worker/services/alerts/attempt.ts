/**
 * @module
 * One delivery attempt, as the queue consumer (and "Send test") makes it:
 *
 * 1. Only the message carrying the row's current `token` may act, and only while nobody holds
 *    the lease: a duplicate queue delivery, or a stale retry message, is dropped (no second
 *    request to the receiver).
 * 2. Claim: take the lease and count the attempt (one conditional UPDATE).
 * 3. Build the body at the first attempt and store it, so retries send the same bytes under the
 *    same `webhook-id` (the delivery id).
 * 4. Check the target again, send (10 s, no redirects), and record the verdict: delivered,
 *    failed (410 also switches the alert off), or retry with a new token and the next delay.
 *
 * If the worker dies between sending and recording, the message is redelivered and the attempt
 * repeated once the lease expires: at least once, with the same `webhook-id` for the receiver
 * to drop.
 */
import { judge, type Verdict } from '../../core/alerts/delivery';
import { slackMessage } from '../../core/alerts/slack';
import { parseJsonColumn } from '../../lib/json-column';
import { webhookHeaders } from '../../lib/webhook-signature';
import type { AlertDestination, AlertPayload, AlertTrigger } from '../../schema/alerts';
import { invalidateConfig } from '../config-store';
import type { ServiceContext } from '../context';
import { newToken } from './outbox';
import { reserveSlot } from './pacing';
import { invalidateAlertRules } from './rules';
import { firedPayload } from './payload';
import { postWebhook, type SendOutcome } from './send';
import { type Resolver, targetProblem } from './target';

/** How long a claimed attempt keeps others off (the 10 s send, a pacing wait and the writes). */
export const LEASE_MS = 30_000;
/** A Slack slot further away than this is not waited for: the message goes back to the queue. */
const MAX_PACING_WAIT_MS = 3000;

export type AttemptOutcome =
  /** Nothing to do for this message (delivered, replaced by a newer token, gone). */
  | { kind: 'dropped'; why: string }
  /** Someone holds the lease, or the Slack slot is later: try this message again then. */
  | { kind: 'later'; delayS: number }
  | { kind: 'attempted'; verdict: Verdict; send: SendOutcome | null; nextToken: string | null };

interface Row {
  id: string;
  alert_id: string;
  member_id: string | null;
  kind: 'alert' | 'test';
  status: string;
  token: string | null;
  lease_until: number | null;
  retry_index: number;
  snapshot: string;
  payload: string | null;
  created_at: number;
  a_id: string | null;
  name: string | null;
  enabled: number | null;
  trigger: string | null;
  destination: string | null;
  secret: string | null;
  console_origin: string | null;
}

/** What an attempt reads and writes through, and the deployment's settings (the target check). */
export type AlertContext = Pick<ServiceContext, 'd1' | 'db' | 'env'>;

export interface AttemptOptions {
  now?: number;
  /** A test send is one attempt: no retries. */
  retries?: boolean;
  resolve?: Resolver;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * @example const out = await attemptDelivery(backgroundContext(env), { id, token });
 */
export async function attemptDelivery(
  ctx: AlertContext,
  msg: { id: string; token: string },
  opts: AttemptOptions = {},
): Promise<AttemptOutcome> {
  const { d1 } = ctx;
  let now = opts.now ?? Date.now();
  const row = await d1
    .prepare(
      `SELECT d.id, d.alert_id, d.member_id, d.kind, d.status, d.token, d.lease_until, d.retry_index, d.snapshot, d.payload, d.created_at,
         a.id AS a_id, a.name, a.enabled, a.trigger, a.destination, a.secret, a.console_origin
       FROM alert_deliveries d LEFT JOIN alerts a ON a.id = d.alert_id WHERE d.id = ?1`,
    )
    .bind(msg.id)
    .first<Row>();
  if (!row) return { kind: 'dropped', why: 'no_such_delivery' };
  if (row.status !== 'pending' || row.token !== msg.token) return { kind: 'dropped', why: 'not_current' };
  if (row.lease_until !== null && row.lease_until > now) return { kind: 'later', delayS: Math.ceil((row.lease_until - now) / 1000) };

  if (!row.a_id || (row.kind === 'alert' && !row.enabled)) {
    const why = row.a_id ? 'alert_disabled' : 'alert_deleted';
    await finish(d1, row, msg.token, now, { next: 'failed', disableAlert: false, why }, null);
    return { kind: 'attempted', verdict: { next: 'failed', disableAlert: false, why }, send: null, nextToken: null };
  }
  const destination = parseJsonColumn<AlertDestination>(row.destination, { url: '', format: 'standard', language: 'ja' });

  if (destination.format === 'slack') {
    const wait = await reserveSlot(ctx, destination.url, now);
    if (wait > MAX_PACING_WAIT_MS) return { kind: 'later', delayS: Math.ceil(wait / 1000) };
    if (wait > 0) {
      await sleep(wait);
      now += wait;
    }
  }

  const claimed = await d1
    .prepare(
      `UPDATE alert_deliveries SET lease_until = ?3 + ?4, attempts = attempts + 1, updated_at = ?3
       WHERE id = ?1 AND token = ?2 AND status = 'pending' AND (lease_until IS NULL OR lease_until <= ?3)
       RETURNING attempts`,
    )
    .bind(row.id, msg.token, now, LEASE_MS)
    .first<{ attempts: number }>();
  if (!claimed) return { kind: 'dropped', why: 'claimed_elsewhere' };

  try {
    return await claimedAttempt(ctx, row, msg.token, destination, now, opts);
  } catch (err) {
    // Our side failed (D1, the isolate's I/O): give the lease back so the queue's redelivery can
    // try again in seconds rather than after LEASE_MS. If D1 itself is down this fails too, and
    // the lease simply runs out.
    await d1
      .prepare(`UPDATE alert_deliveries SET lease_until = NULL WHERE id = ?1 AND token = ?2 AND status = 'pending'`)
      .bind(row.id, msg.token)
      .run()
      .catch(() => {});
    throw err;
  }
}

/** Builds the body once, checks the target, sends and records: the attempt after its claim. */
async function claimedAttempt(
  ctx: AlertContext,
  row: Row,
  token: string,
  destination: AlertDestination,
  now: number,
  opts: AttemptOptions,
): Promise<AttemptOutcome> {
  const { d1, env } = ctx;
  let body = row.payload;
  if (body === null) {
    const payload: AlertPayload | null =
      row.kind === 'alert' && row.member_id
        ? await firedPayload(ctx, {
            id: row.id,
            memberId: row.member_id,
            createdAt: row.created_at,
            snapshot: parseJsonColumn(row.snapshot, {}),
            alert: {
              id: row.alert_id,
              name: row.name ?? '',
              trigger: parseJsonColumn<AlertTrigger>(row.trigger, { type: 'score_reached', score: 0 }),
              destination,
              consoleOrigin: row.console_origin ?? '',
            },
          })
        : null;
    if (!payload) {
      const verdict: Verdict = { next: 'failed', disableAlert: false, why: 'member_gone' };
      await finish(d1, row, token, now, verdict, null);
      return { kind: 'attempted', verdict, send: null, nextToken: null };
    }
    body = JSON.stringify(payload);
    await d1.prepare('UPDATE alert_deliveries SET payload = ?2 WHERE id = ?1 AND payload IS NULL').bind(row.id, body).run();
  }

  const problem = await targetProblem(destination.url, env, opts.resolve);
  let send: SendOutcome;
  if (problem) {
    send = { result: { kind: 'refused_target' }, excerpt: `refused: ${problem}`, durationMs: 0 };
  } else if (destination.format === 'slack') {
    const slack = slackMessage(JSON.parse(body) as AlertPayload, destination.language);
    send = await postWebhook(destination.url, JSON.stringify(slack), { 'content-type': 'application/json' });
  } else {
    send = await postWebhook(destination.url, body, await webhookHeaders(row.secret ?? '', row.id, body, now));
  }
  const retriesUsed = row.retry_index;
  let verdict = judge(send.result, retriesUsed);
  if (verdict.next === 'retry' && opts.retries === false) verdict = { next: 'failed', disableAlert: false, why: verdict.why };
  const nextToken = verdict.next === 'retry' ? newToken() : null;
  await finish(d1, row, token, Date.now(), verdict, send, nextToken);
  return { kind: 'attempted', verdict, send, nextToken };
}

/** Records an attempt's verdict, if the attempt is still the current one (token unchanged). */
async function finish(
  d1: D1Database,
  row: Row,
  token: string,
  now: number,
  v: Verdict,
  send: SendOutcome | null,
  nextToken: string | null = null,
) {
  const status = send?.result.kind === 'response' ? send.result.status : null;
  const error = v.next === 'delivered' ? null : v.why;
  const excerpt = send?.excerpt ?? null;
  const statements: D1PreparedStatement[] = [];
  if (v.next === 'retry') {
    statements.push(
      d1
        .prepare(
          `UPDATE alert_deliveries SET token = ?3, retry_index = retry_index + 1, next_attempt_at = ?4, lease_until = NULL,
             last_status_code = ?5, last_error = ?6, response_excerpt = ?7, updated_at = ?8
           WHERE id = ?1 AND token = ?2 AND status = 'pending'`,
        )
        .bind(row.id, token, nextToken, now + v.delayS * 1000, status, error, excerpt, now),
    );
  } else {
    statements.push(
      d1
        .prepare(
          `UPDATE alert_deliveries SET status = ?3, token = NULL, lease_until = NULL, delivered_at = ?4,
             last_status_code = ?5, last_error = ?6, response_excerpt = ?7, updated_at = ?8
           WHERE id = ?1 AND token = ?2 AND status = 'pending'`,
        )
        .bind(row.id, token, v.next, v.next === 'delivered' ? now : null, status, error, excerpt, now),
    );
    if (v.next === 'failed' && v.disableAlert && row.a_id) {
      // The receiver said 410 Gone: stop firing (and tell every isolate through the stamp).
      statements.push(
        d1.prepare(`UPDATE alerts SET enabled = 0, disabled_reason = 'gone', updated_at = ?2 WHERE id = ?1`).bind(row.a_id, now),
      );
      statements.push(
        d1
          .prepare(
            `INSERT INTO settings (key, value) VALUES ('config_version', json_quote(?1)) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
          )
          .bind(`${now.toString(36)}-${crypto.randomUUID().slice(0, 8)}`),
      );
    }
  }
  await d1.batch(statements);
  if (statements.length > 1) {
    invalidateConfig();
    invalidateAlertRules();
  }
}
