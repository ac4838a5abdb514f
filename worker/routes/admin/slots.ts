/**
 * @module
 * Slots (`data-dw-slot` names on the site): list, create, rename, delete.
 */
import { Hono } from 'hono';
import type { App } from '../../app-types';
import { notFound } from '../../errors';
import { loadSiteConfig } from '../../services/config-store';
import { logChange } from '../../services/admin/changes';
import { commitConfig } from '../../services/admin/commit';
import { slotWrites } from '../../services/admin/config-writes';
import { SlotCreate, SlotUpdate } from './inputs';
import { conflict, fieldError, zjson } from './validate';

export const slotRoutes = new Hono<App>()
  .get('/', async (c) => c.json({ slots: (await loadSiteConfig(c.var.svc)).slots }, 200))
  .post('/', zjson(SlotCreate), async (c) => {
    const slot = c.req.valid('json');
    const db = c.var.svc.db;
    if ((await loadSiteConfig(c.var.svc)).slots.some((s) => s.key === slot.key)) {
      throw fieldError(['key'], `A slot with key "${slot.key}" already exists`, 409, { reason: 'duplicate' });
    }
    await commitConfig(c.var.svc, slotWrites.insert(db, slot), [logChange(c, 'slot', slot.key, null, slot)]);
    return c.json(slot, 201);
  })
  .put('/:key', zjson(SlotUpdate), async (c) => {
    const body = c.req.valid('json');
    const db = c.var.svc.db;
    const slot = (await loadSiteConfig(c.var.svc)).slots.find((s) => s.key === c.req.param('key'));
    if (!slot) throw notFound('Slot');
    await commitConfig(c.var.svc, slotWrites.update(db, { ...slot, ...body }), [
      logChange(c, 'slot', slot.key, slot, { ...slot, ...body }),
    ]);
    return c.json({ ...slot, ...body }, 200);
  })
  .delete('/:key', async (c) => {
    const db = c.var.svc.db;
    const config = await loadSiteConfig(c.var.svc);
    const slot = config.slots.find((s) => s.key === c.req.param('key'));
    if (!slot) throw notFound('Slot');
    const live = config.experiments.filter((e) => e.slot === slot.key && e.status !== 'stopped');
    if (live.length)
      throw conflict(`Stop or delete the experiments on this slot first: ${live.map((e) => e.id).join(', ')}`, 'in_use', {
        entity: 'slot',
        experiments: live.map((e) => e.id),
      });
    // Its content goes with it (and into the log, so restoring the slot brings it back).
    const variants = config.variants.filter((v) => v.slot === slot.key);
    await commitConfig(c.var.svc, slotWrites.delete(db, slot.key), [logChange(c, 'slot', slot.key, { ...slot, variants }, null)]);
    return c.body(null, 204);
  });
