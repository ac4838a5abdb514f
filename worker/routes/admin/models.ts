/**
 * @module
 * Propensity models:
 *
 * - `GET /api/models` → `{models}`; `GET /api/models/:key` → one model (features, coefficients,
 *   holdout AUC and top-decile lift with their intervals, verdict)
 * - `POST /api/models` `{key, name, event, days, l2}` → trains on the stored history with a
 *   time-split holdout and stores it (201); segments can then test `{type: 'propensity'}`
 * - `GET /api/models/:key/members?limit=` → members ranked by probability, each with the three
 *   factors behind it
 * - `DELETE /api/models/:key` → 204, refused (409) while a segment tests it
 *
 * Training (a new model, or retraining over one) and deleting are logged (entity `model`).
 */
import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import type { App } from '../../app-types';
import { modelUsers } from '../../core/change-restore';
import { schema } from '../../db/client';
import { notFound } from '../../errors';
import { queryInput } from '../../middleware/query';
import { TrainRequest } from '../../schema/propensity';
import { logChange } from '../../services/admin/changes';
import { commitConfig } from '../../services/admin/commit';
import { currentConfig } from '../../services/config-store';
import { scoreMembers, trainModel } from '../../services/propensity';
import { RankedQuery } from './inputs';
import { conflict, zjson } from './validate';

export const modelRoutes = new Hono<App>()
  .get('/', async (c) => c.json({ models: (await currentConfig(c.var.svc)).source.models ?? [] }, 200))
  .post('/', zjson(TrainRequest), async (c) => {
    const body = c.req.valid('json');
    return c.json(await trainModel(c.var.svc, { ...body, days: body.days ?? 30, l2: body.l2 ?? 1 }, c), 201);
  })
  .get('/:key', async (c) => {
    const model = (await currentConfig(c.var.svc)).models.get(c.req.param('key'));
    if (!model) throw notFound('Model');
    return c.json(model.model, 200);
  })
  .get('/:key/members', queryInput(RankedQuery), async (c) => {
    const ranked = await scoreMembers(c.var.svc, c.req.param('key'), c.req.valid('query').limit);
    if (!ranked) throw notFound('Model');
    return c.json({ members: ranked }, 200);
  })
  .delete('/:key', async (c) => {
    const key = c.req.param('key');
    const config = await currentConfig(c.var.svc);
    const model = config.models.get(key)?.model;
    if (!model) throw notFound('Model');
    const users = modelUsers(config.source.segments, key);
    if (users.length) throw conflict(`Segments test this model: ${users.join(', ')}`, 'in_use', { entity: 'model', segments: users });
    await commitConfig(
      c.var.svc,
      [c.var.svc.db.delete(schema.propensityModels).where(eq(schema.propensityModels.key, key))],
      [logChange(c, 'model', key, model, null)],
    );
    return c.body(null, 204);
  });
