/**
 * @module
 * Segments: list in match order, create, edit, enable/disable (PUT), delete, a live "who matches
 * this rule now" preview, and the match order (`PUT /api/segment-order`).
 */
import { Hono } from 'hono';
import type { App } from '../../app-types';
import { notFound } from '../../errors';
import type { Segment } from '../../schema/config';
import { loadSiteConfig } from '../../services/config-store';
import { logChange } from '../../services/admin/changes';
import { commitConfig } from '../../services/admin/commit';
import type { ServiceContext } from '../../services/context';
import { PRIORITY_STEP, segmentWrites } from '../../services/admin/config-writes';
import { previewRule } from '../../services/admin/segment-preview';
import { SegmentCreate, SegmentOrder, SegmentPreview, SegmentUpdate } from './inputs';
import { conflict, fieldError, zjson } from './validate';

async function segmentOr404(svc: Pick<ServiceContext, 'db'>, key: string): Promise<Segment> {
  const s = (await loadSiteConfig(svc)).segments.find((x) => x.key === key);
  if (!s) throw notFound('Segment');
  return s;
}

export const segmentRoutes = new Hono<App>()
  .get('/', async (c) => c.json({ segments: (await loadSiteConfig(c.var.svc)).segments }, 200))
  .post('/', zjson(SegmentCreate), async (c) => {
    const body = c.req.valid('json');
    const db = c.var.svc.db;
    const existing = (await loadSiteConfig(c.var.svc)).segments;
    if (existing.some((s) => s.key === body.key))
      throw fieldError(['key'], `A segment with key "${body.key}" already exists`, 409, { reason: 'duplicate' });
    const last = existing.reduce((max, s) => Math.max(max, s.priority), 0);
    const segment: Segment = { ...body, id: body.key, priority: body.priority ?? last + PRIORITY_STEP };
    await commitConfig(c.var.svc, segmentWrites.insert(db, segment), [logChange(c, 'segment', segment.key, null, segment)]);
    return c.json(segment, 201);
  })
  .post('/preview', zjson(SegmentPreview), async (c) => {
    const { rule } = c.req.valid('json');
    return c.json(await previewRule(c.var.svc, rule), 200);
  })
  .get('/:key', async (c) => c.json(await segmentOr404(c.var.svc, c.req.param('key')), 200))
  .put('/:key', zjson(SegmentUpdate), async (c) => {
    const body = c.req.valid('json');
    const db = c.var.svc.db;
    const current = await segmentOr404(c.var.svc, c.req.param('key'));
    const segment: Segment = { ...current, ...body };
    await commitConfig(c.var.svc, segmentWrites.update(db, segment), [logChange(c, 'segment', current.key, current, segment)]);
    return c.json(segment, 200);
  })
  .delete('/:key', async (c) => {
    const db = c.var.svc.db;
    const config = await loadSiteConfig(c.var.svc);
    const segment = config.segments.find((s) => s.key === c.req.param('key'));
    if (!segment) throw notFound('Segment');
    const live = config.experiments.filter((e) => e.segment === segment.key && e.status !== 'stopped');
    if (live.length)
      throw conflict(`Stop or delete the experiments on this segment first: ${live.map((e) => e.id).join(', ')}`, 'in_use', {
        entity: 'segment',
        experiments: live.map((e) => e.id),
      });
    // Its content goes with it (and into the log, so restoring the segment brings it back).
    const variants = config.variants.filter((v) => v.segment === segment.key);
    await commitConfig(c.var.svc, segmentWrites.delete(db, segment.key), [
      logChange(c, 'segment', segment.key, { ...segment, variants }, null),
    ]);
    return c.body(null, 204);
  });

/**
 * The match order, set as a whole. Its own path, not `/segments/order`: a static path beside
 * `PUT /segments/:key` would hide a segment keyed "order" and send every request of the app
 * through Hono's slower trie router (tests/worker/router.test.ts).
 */
export const segmentOrderRoutes = new Hono<App>().put('/', zjson(SegmentOrder), async (c) => {
  const { keys } = c.req.valid('json');
  const db = c.var.svc.db;
  const existing = (await loadSiteConfig(c.var.svc)).segments.map((s) => s.key);
  const same = keys.length === existing.length && new Set(keys).size === keys.length && keys.every((k) => existing.includes(k));
  if (!same) throw fieldError(['keys'], 'keys must list every segment exactly once', 400, { reason: 'incomplete_order' });
  await commitConfig(c.var.svc, segmentWrites.order(db, keys), [logChange(c, 'segment_order', 'order', { keys: existing }, { keys })]);
  return c.json({ segments: (await loadSiteConfig(c.var.svc)).segments }, 200);
});
