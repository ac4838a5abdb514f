/**
 * @module
 * Slots (`data-dw-slot` names on the site): list, create, rename, delete.
 */
import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import type { App } from '../../app-types';
import { schema } from '../../db/client';
import { notFound } from '../../errors';
import { loadSiteConfig } from '../../services/config-store';
import { commitConfig } from '../../services/admin/commit';
import { SlotCreate, SlotUpdate } from './inputs';
import { conflict, fieldError, zjson } from './validate';

export const slotRoutes = new Hono<App>()
  .get('/', async (c) => c.json({ slots: (await loadSiteConfig(c.var.db)).slots }, 200))
  .post('/', zjson(SlotCreate), async (c) => {
    const slot = c.req.valid('json');
    const db = c.var.db;
    if ((await loadSiteConfig(db)).slots.some((s) => s.key === slot.key)) {
      throw fieldError(['key'], `A slot with key "${slot.key}" already exists`, 409, { reason: 'duplicate' });
    }
    await commitConfig(db, [db.insert(schema.slots).values(slot)]);
    return c.json(slot, 201);
  })
  .put('/:key', zjson(SlotUpdate), async (c) => {
    const body = c.req.valid('json');
    const db = c.var.db;
    const slot = (await loadSiteConfig(db)).slots.find((s) => s.key === c.req.param('key'));
    if (!slot) throw notFound('Slot');
    await commitConfig(db, [db.update(schema.slots).set({ name: body.name }).where(eq(schema.slots.key, slot.key))]);
    return c.json({ ...slot, ...body }, 200);
  })
  .delete('/:key', async (c) => {
    const db = c.var.db;
    const config = await loadSiteConfig(db);
    const slot = config.slots.find((s) => s.key === c.req.param('key'));
    if (!slot) throw notFound('Slot');
    const live = config.experiments.filter((e) => e.slot === slot.key && e.status !== 'stopped');
    if (live.length) throw conflict(`Stop or delete the experiments on this slot first: ${live.map((e) => e.id).join(', ')}`, 'in_use', { entity: 'slot', experiments: live.map((e) => e.id) });
    await commitConfig(db, [db.delete(schema.variants).where(eq(schema.variants.slot, slot.key)), db.delete(schema.slots).where(eq(schema.slots.key, slot.key))]);
    return c.body(null, 204);
  });
