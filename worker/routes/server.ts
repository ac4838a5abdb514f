/**
 * @module
 * Server-to-server API: events from the site's backend or imports, CRM trait sync, and erasure.
 * Guarded by `Authorization: Bearer <SERVER_API_KEY>` (mounted in index.ts). Storage that is slow
 * or down answers 503 with `Retry-After` within a deadline, never a 500 after a long wait.
 */
import { Hono } from 'hono';
import type { App } from '../app-types';
import { ApiError, invalid } from '../errors';
import { jsonInput } from '../middleware/json-body';
import { MemberId, ServerCollectRequest, TraitsUpsertRequest, type CollectResponse } from '../schema/api';
import { recentlyErased, storageStep } from '../services/deadline';
import { validateEvents } from '../services/events';
import { configuredHorizonDays, oldestAcceptedAt } from '../core/retention';
import { eraseMember, upsertTraits } from '../services/members';
import { updateProfile } from '../services/pipeline';

function memberParam(raw: string): string {
  // Hono has already percent-decoded the path parameter; decoding again would break ids containing "%".
  const parsed = MemberId.safeParse(raw);
  if (!parsed.success) throw invalid(parsed.error, 'Invalid member id');
  return parsed.data;
}

export const serverRoutes = new Hono<App>()
  .post('/collect', jsonInput(ServerCollectRequest), async (c) => {
    const input = c.req.valid('json');
    const now = Date.now();
    const oldest = oldestAcceptedAt(now, configuredHorizonDays(c.env.EVENT_RETENTION_DAYS));
    const { events, rejected } = validateEvents(input.events, { now, source: 'server', oldest });
    // A backend sending only invalid events has a bug to see, not a 200 to ignore.
    if (!events.length) {
      const issues = rejected.map((r) => ({ path: ['events', r.index], message: r.error }));
      throw new ApiError(400, 'invalid_events', 'No event in the batch is valid; nothing was stored', issues);
    }
    const out = await storageStep(
      'server collect',
      updateProfile({ d1: c.var.d1, db: c.var.svc.db, now }, { kind: 'member', memberId: input.memberId }, events, { write: true }),
    );
    const body: CollectResponse = { accepted: out.accepted, duplicates: out.duplicates, rejected, segment: out.segment?.key ?? null };
    return c.json(body, 200);
  })
  .put('/members/:memberId', jsonInput(TraitsUpsertRequest), async (c) => {
    const memberId = memberParam(c.req.param('memberId'));
    const input = c.req.valid('json');
    const traits = await storageStep('traits upsert', upsertTraits(c.var.svc, memberId, input.traits));
    if (!traits) throw recentlyErased();
    return c.json({ memberId, traits }, 200);
  })
  .delete('/members/:memberId', async (c) => {
    const memberId = memberParam(c.req.param('memberId'));
    await storageStep('erasure', eraseMember(c.var.svc, memberId));
    return c.body(null, 204);
  });
