/**
 * @module
 * Sales handoff alerts (docs/alerts.md):
 *
 * - `GET|POST /alerts`, `GET|PUT|DELETE /alerts/:id` — definitions; the create response carries
 *   the signing secret (`whsec_…`) this once, `POST /alerts/:id/secret` replaces it (shown once)
 * - `POST /alerts/:id/test` — sends a sample now and answers with what the receiver said
 * - `GET /deliveries?alert=&member=&status=&limit=&before=`, `GET /deliveries/:id` — the log
 * - `POST /deliveries/:id/replay` — the same message (same `webhook-id`) through the queue again
 *
 * Definitions are configuration: a change bumps the version stamp, so every isolate's hot path
 * sees it on its next request. The URL is checked against what this deployment may reach.
 */
import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import type { App } from '../../app-types';
import { type Db, schema } from '../../db/client';
import { ApiError, notFound } from '../../errors';
import { newWebhookSecret } from '../../lib/webhook-signature';
import { queryInput } from '../../middleware/query';
import { type Alert, AlertInput, type AlertWithSecret, DeliveryQuery } from '../../schema/alerts';
import { alertSnapshot, logChange, secretRotation } from '../../services/admin/changes';
import { commitConfig, commitLogged } from '../../services/admin/commit';
import { deliveryDetail, listDeliveries, replayDelivery, sendTest, toAlert } from '../../services/alerts/admin';
import { invalidateAlertRules } from '../../services/alerts/rules';
import { targetProblem } from '../../services/alerts/target';
import { loadSiteConfig } from '../../services/config-store';
import type { ServiceContext } from '../../services/context';
import { fieldError, zjson } from './validate';

type Input = ReturnType<typeof AlertInput.parse>;

const URL_WORDS: Record<string, string> = {
  invalid: 'is not a URL',
  scheme: 'must start with https:// (http:// only to 127.0.0.1 in local development)',
  credentials: 'must not contain a user name or password',
  private_address: 'points to a private, loopback or link-local address',
  local_name: 'names a host that only exists inside a network',
  unresolvable: 'has a host name that does not resolve',
};

/** The checks the schema cannot make: the segment exists, the URL is one this edge may call. */
async function checkAlert(svc: Pick<ServiceContext, 'db' | 'env'>, body: Input): Promise<void> {
  if (body.trigger.type === 'segment_entered') {
    const key = body.trigger.segment;
    const config = await loadSiteConfig(svc);
    if (!config.segments.some((s) => s.key === key)) {
      throw fieldError(['trigger', 'segment'], `Segment "${key}" does not exist`, 400, { reason: 'unknown', entity: 'segment' });
    }
  }
  const problem = await targetProblem(body.destination.url, svc.env);
  if (problem) {
    throw fieldError(['destination', 'url'], `The webhook URL ${URL_WORDS[problem] ?? 'is not allowed'}`, 400, {
      reason: 'url_not_allowed',
      why: problem,
    });
  }
}

const newAlertId = () => `alt_${crypto.randomUUID().replace(/-/g, '').slice(0, 12)}`;

async function alertRow(db: Db, id: string) {
  const row = await db.select().from(schema.alerts).where(eq(schema.alerts.id, id)).get();
  if (!row) throw notFound('Alert');
  return row;
}

export const alertRoutes = new Hono<App>()
  .get('/', async (c) => {
    const rows = await c.var.svc.db.select().from(schema.alerts).orderBy(schema.alerts.createdAt);
    return c.json({ alerts: rows.map(toAlert) }, 200);
  })
  .post('/', zjson(AlertInput), async (c) => {
    const body = c.req.valid('json');
    await checkAlert(c.var.svc, body);
    const now = Date.now();
    const row = {
      id: newAlertId(),
      ...body,
      secret: newWebhookSecret(),
      consoleOrigin: new URL(c.req.url).origin,
      disabledReason: null,
      createdAt: now,
      updatedAt: now,
    };
    await commitConfig(
      c.var.svc,
      [c.var.svc.db.insert(schema.alerts).values(row)],
      [logChange(c, 'alert', row.id, null, alertSnapshot(row))],
    );
    invalidateAlertRules();
    const created: AlertWithSecret = { ...toAlert(row), secret: row.secret };
    return c.json(created, 201);
  })
  .get('/:id', async (c) => c.json(toAlert(await alertRow(c.var.svc.db, c.req.param('id'))) as Alert, 200))
  .put('/:id', zjson(AlertInput), async (c) => {
    const body = c.req.valid('json');
    const current = await alertRow(c.var.svc.db, c.req.param('id'));
    await checkAlert(c.var.svc, body);
    const changes = {
      ...body,
      consoleOrigin: new URL(c.req.url).origin,
      // Switching it on again clears the reason it was switched off.
      disabledReason: body.enabled ? null : current.disabledReason,
      updatedAt: Date.now(),
    };
    await commitConfig(
      c.var.svc,
      [c.var.svc.db.update(schema.alerts).set(changes).where(eq(schema.alerts.id, current.id))],
      [logChange(c, 'alert', current.id, alertSnapshot(current), alertSnapshot({ ...current, ...changes }))],
    );
    invalidateAlertRules();
    return c.json(toAlert({ ...current, ...changes }), 200);
  })
  .delete('/:id', async (c) => {
    const current = await alertRow(c.var.svc.db, c.req.param('id'));
    // The log keeps its deliveries; pending ones fail as `alert_deleted` when their turn comes.
    await commitConfig(
      c.var.svc,
      [c.var.svc.db.delete(schema.alerts).where(eq(schema.alerts.id, current.id))],
      [logChange(c, 'alert', current.id, alertSnapshot(current), null)],
    );
    invalidateAlertRules();
    return c.body(null, 204);
  })
  .post('/:id/secret', async (c) => {
    const current = await alertRow(c.var.svc.db, c.req.param('id'));
    const secret = newWebhookSecret();
    // Logged as rotated, never with the secret (neither the old nor the new one).
    await commitLogged(
      c.var.svc,
      [c.var.svc.db.update(schema.alerts).set({ secret, updatedAt: Date.now() }).where(eq(schema.alerts.id, current.id))],
      [logChange(c, 'alert_secret', current.id, secretRotation(current.name, 'earlier'), secretRotation(current.name, 'rotated'))],
    );
    return c.json({ id: current.id, secret }, 200);
  })
  .post('/:id/test', async (c) => {
    const current = await alertRow(c.var.svc.db, c.req.param('id'));
    return c.json(await sendTest(c.var.svc, current), 200);
  });

export const deliveryRoutes = new Hono<App>()
  .get('/', queryInput(DeliveryQuery), async (c) => c.json(await listDeliveries(c.var.svc, c.req.valid('query')), 200))
  .get('/:id', async (c) => {
    const detail = await deliveryDetail(c.var.svc, c.req.param('id'));
    if (!detail) throw notFound('Delivery');
    return c.json(detail, 200);
  })
  .post('/:id/replay', async (c) => {
    const out = await replayDelivery(c.var.svc, c.req.param('id'));
    if (!out.ok && out.why === 'not_found') throw notFound('Delivery');
    if (!out.ok) throw new ApiError(409, 'in_flight', 'An attempt of this delivery is in progress; replay it once it has finished');
    return c.json(out.delivery, 202);
  });
