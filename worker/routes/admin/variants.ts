/**
 * @module
 * Variants (content for one slot × segment). HTML is sanitized on every save; the response's
 * `removed` lists what was taken out, so the editor can tell the marketer.
 */
import { Hono } from 'hono';
import type { App } from '../../app-types';
import { sanitizeHtml } from '../../core/sanitize';
import { notFound } from '../../errors';
import type { Variant } from '../../schema/config';
import { loadSiteConfig } from '../../services/config-store';
import { logChange } from '../../services/admin/changes';
import { commitConfig } from '../../services/admin/commit';
import { variantWrites } from '../../services/admin/config-writes';
import { queryInput } from '../../middleware/query';
import { VariantCreate, VariantListQuery, VariantUpdate } from './inputs';
import { conflict, fieldError, zjson } from './validate';

const randomSuffix = () => crypto.randomUUID().replace(/-/g, '').slice(0, 6);

export const variantRoutes = new Hono<App>()
  .get('/', queryInput(VariantListQuery), async (c) => {
    const { slot, segment } = c.req.valid('query');
    const variants = (await loadSiteConfig(c.var.svc)).variants.filter(
      (v) => (!slot || v.slot === slot) && (!segment || v.segment === segment),
    );
    return c.json({ variants }, 200);
  })
  .post('/', zjson(VariantCreate), async (c) => {
    const body = c.req.valid('json');
    const db = c.var.svc.db;
    const config = await loadSiteConfig(c.var.svc);
    if (!config.slots.some((s) => s.key === body.slot))
      throw fieldError(['slot'], `Slot "${body.slot}" does not exist`, 400, { reason: 'unknown', entity: 'slot' });
    if (!config.segments.some((s) => s.key === body.segment))
      throw fieldError(['segment'], `Segment "${body.segment}" does not exist`, 400, { reason: 'unknown', entity: 'segment' });
    const id = body.id ?? `${body.slot}_${body.segment}_${randomSuffix()}`.slice(0, 64);
    if (config.variants.some((v) => v.id === id))
      throw fieldError(['id'], `A variant with id "${id}" already exists`, 409, { reason: 'duplicate' });
    const { html, removed } = sanitizeHtml(body.html);
    const variant: Variant = { ...body, id, html };
    await commitConfig(c.var.svc, variantWrites.insert(db, variant, Date.now()), [logChange(c, 'variant', variant.id, null, variant)]);
    return c.json({ variant, removed }, 201);
  })
  .get('/:id', async (c) => {
    const variant = (await loadSiteConfig(c.var.svc)).variants.find((v) => v.id === c.req.param('id'));
    if (!variant) throw notFound('Variant');
    return c.json(variant, 200);
  })
  .put('/:id', zjson(VariantUpdate), async (c) => {
    const body = c.req.valid('json');
    const db = c.var.svc.db;
    const current = (await loadSiteConfig(c.var.svc)).variants.find((v) => v.id === c.req.param('id'));
    if (!current) throw notFound('Variant');
    const { html, removed } = sanitizeHtml(body.html);
    const variant: Variant = { ...current, ...body, html };
    await commitConfig(c.var.svc, variantWrites.update(db, variant), [logChange(c, 'variant', variant.id, current, variant)]);
    return c.json({ variant, removed }, 200);
  })
  .delete('/:id', async (c) => {
    const db = c.var.svc.db;
    const config = await loadSiteConfig(c.var.svc);
    const variant = config.variants.find((v) => v.id === c.req.param('id'));
    if (!variant) throw notFound('Variant');
    const live = config.experiments.filter((e) => e.status !== 'stopped' && e.arms.some((a) => a.variant === variant.id));
    if (live.length)
      throw conflict(`This variant is an arm of ${live.map((e) => e.id).join(', ')}; stop that experiment first`, 'in_use', {
        entity: 'variant',
        experiments: live.map((e) => e.id),
      });
    await commitConfig(c.var.svc, variantWrites.delete(db, variant.id), [logChange(c, 'variant', variant.id, variant, null)]);
    return c.body(null, 204);
  });
