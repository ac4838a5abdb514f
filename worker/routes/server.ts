/**
 * @module
 * Server-to-server API (CONTRACT §4): events from the site's backend or imports, CRM trait sync,
 * and erasure. Guarded by `Authorization: Bearer <SERVER_API_KEY>` (mounted in index.ts).
 */
import { Hono } from 'hono';
import type { App } from '../app-types';
import { ApiError, invalid } from '../errors';
import { jsonInput } from '../middleware/json-body';
import { MemberId, ServerCollectRequest, TraitsUpsertRequest, type CollectResponse } from '../schema/api';
import { validateEvents } from '../services/events';
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
    const { events, rejected } = validateEvents(input.events, { now, source: 'server' });
    let body: CollectResponse;
    try {
      const out = await updateProfile({ d1: c.var.d1, db: c.var.db, now }, { kind: 'member', memberId: input.memberId }, events, {
        write: true,
      });
      body = { accepted: out.accepted, duplicates: out.duplicates, rejected, segment: out.segment?.key ?? null };
    } catch (err) {
      console.error('server collect unavailable', err);
      throw new ApiError(503, 'unavailable', 'Storage is unavailable; retry later', undefined, { 'Retry-After': '5' });
    }
    return c.json(body, 200);
  })
  .put('/members/:memberId', jsonInput(TraitsUpsertRequest), async (c) => {
    const memberId = memberParam(c.req.param('memberId'));
    const input = c.req.valid('json');
    const traits = await upsertTraits(c.var.d1, memberId, input.traits, Date.now());
    return c.json({ memberId, traits }, 200);
  })
  .delete('/members/:memberId', async (c) => {
    const memberId = memberParam(c.req.param('memberId'));
    await eraseMember(c.var.d1, memberId);
    return c.body(null, 204);
  });
