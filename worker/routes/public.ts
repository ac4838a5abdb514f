/**
 * @module
 * The browser API: decide, collect, identify.
 * Visitors never see an error from decide: storage trouble answers 200 with every slot null.
 * These run on every page, so they read `c.get(…)`, not `c.var`: Hono builds `c.var` anew from
 * its map on every read.
 */
import { Hono } from 'hono';
import type { App } from '../app-types';
import { ApiError } from '../errors';
import { verifyIdentifyToken } from '../lib/jwt';
import { isLocalDev, requireSecret } from '../lib/secrets';
import { readPreviewToken } from '../lib/preview-token';
import { jsonInput } from '../middleware/json-body';
import { enforceRateLimits, rateLimitGate } from '../middleware/rate-limit';
import { createDb, type Db } from '../db/client';
import { CollectRequest, DecideRequest, IdentifyRequest, MemberId, type CollectResponse } from '../schema/api';
import { Traits } from '../schema/config';
import { validateEvents } from '../services/events';
import { identifyVisitor } from '../services/identify';
import { collectVisitor } from '../services/collect';
import { COLLECT_DEADLINE_MS, storageStep } from '../services/deadline';
import { DECIDE_DEADLINE_MS, decideAnswer } from '../services/decide';
import { previewDecision } from '../services/preview';
import { newVisitorId } from '../lib/ids';
import { profileSecret } from '../lib/profile-token';
import { sentTogether } from '../services/writes/send-together';
import { readPool } from '../middleware/db';
import { readTogether } from '../services/read-together';

/**
 * Local dev only: `X-DW-Writes: inline` or `queue` overrides `DECIDE_WRITES` for one decide, so
 * the bench measures both paths side by side in one run.
 */
export const WRITES_PATH_HEADER = 'x-dw-writes';

/** Re-exported for the fault tests, which check that a slow decide answers within it. */
export { DECIDE_DEADLINE_MS };

export const publicRoutes = new Hono<App>()
  .post('/decide', jsonInput(DecideRequest), async (c) => {
    const input = c.req.valid('json');
    // A first page sends no id: the worker makes one, under which nothing can be stored yet.
    const visitorId = input.visitorId ?? newVisitorId();
    // The rate-limit check runs beside the decide's own work; every D1 call and the queue send
    // wait for its verdict (a refused request reads and stores nothing), and so does the answer.
    const gate = rateLimitGate(c, visitorId);
    const now = Date.now();
    const slots = [...new Set(input.slots)];
    if (input.preview) {
      await gate.verdict;
      const claims = await readPreviewToken(c.env, input.preview, now);
      if (!claims) throw new ApiError(401, 'invalid_preview', 'Preview token is invalid or expired');
      return c.json(await previewDecision(c.get('svc'), visitorId, slots, claims), 200);
    }
    const { events, rejected } = validateEvents(input.events, { now, source: 'browser', pageUrl: input.url });
    // The writes queue (docs/storage.md) when the deployment chose it; inline otherwise.
    const path = (isLocalDev(c.env) && c.req.header(WRITES_PATH_HEADER)) || c.env.DECIDE_WRITES;
    const queue = path === 'queue' ? gate.queue(sentTogether(c.env.WRITES_QUEUE)) : undefined;
    const d1 = gate.d1(c.get('d1'));
    let db: Db | undefined;
    const ctx = {
      d1,
      // drizzle only when the decide needs it (a configuration load), over the same gated D1.
      get db() {
        return (db ??= createDb(d1));
      },
      now,
    };
    const { source, ...body } = await decideAnswer(
      ctx,
      // A client-made id it says is new (`new`) is answered as a worker-made one: no read.
      { visitorId, slots, events, minted: !input.visitorId || input.new === true },
      DECIDE_DEADLINE_MS,
      queue,
      { secret: profileSecret(c.env), token: input.token, background: (work) => c.executionCtx.waitUntil(work) },
      // Decides that read in the same turn share one D1 call (services/read-together.ts).
      { read: readTogether(readPool(c.env), ctx, gate.verdict) },
    );
    await gate.verdict;
    if (rejected.length) body.rejected = rejected;
    // Where the profile came from (token, new, read, read+token): the tests and the bench read it.
    if (source && c.env.DEBUG_TIMING === 'true') c.header('X-DW-Profile', source);
    return c.json(body, 200);
  })
  .post('/collect', jsonInput(CollectRequest), async (c) => {
    const input = c.req.valid('json');
    await enforceRateLimits(c, input.visitorId);
    const now = Date.now();
    const { events, rejected } = validateEvents(input.events, { now, source: 'browser' });
    const out = await storageStep(
      'collect',
      collectVisitor(
        { d1: c.get('d1'), db: c.get('svc').db, now },
        { visitorId: input.visitorId, events, secret: profileSecret(c.env), token: input.token },
      ),
      COLLECT_DEADLINE_MS,
    );
    const body: CollectResponse = { accepted: out.accepted, duplicates: out.duplicates, rejected, segment: out.segment?.key ?? null };
    if (out.token) body.token = out.token;
    return c.json(body, 200);
  })
  .post('/identify', jsonInput(IdentifyRequest), async (c) => {
    const input = c.req.valid('json');
    await enforceRateLimits(c, input.visitorId);
    const now = c.get('svc').now;
    const secret = requireSecret(c.env, 'IDENTIFY_SECRET');
    const verified = await verifyIdentifyToken(input.token, secret, now, input.visitorId);
    if (!verified.ok) throw new ApiError(401, 'invalid_token', `Identify token rejected: ${verified.reason}`);
    const sub = MemberId.safeParse(verified.payload.sub);
    if (!sub.success) throw new ApiError(401, 'invalid_token', 'Identify token rejected: sub must be a member id');
    const traits = Traits.safeParse(verified.payload.traits ?? {});
    if (!traits.success)
      throw new ApiError(401, 'invalid_token', 'Identify token rejected: traits must be an object of string, number or boolean values');
    const out = await storageStep(
      'identify',
      identifyVisitor(c.get('svc'), { visitorId: input.visitorId, memberId: sub.data, traits: traits.data }),
    );
    return c.json(out, 200);
  });
