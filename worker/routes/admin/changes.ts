/**
 * @module
 * The change log (docs/console.md#change-log):
 *
 * - `GET /changes?entity=&entityId=&limit=&cursor=` → `{items, nextCursor}`, newest first
 * - `POST /changes/:id/restore` — puts that change's `before` back, itself logged as a `restore`;
 *   409 with a stable code when it cannot be done (`restore_missing`, `restore_order`,
 *   `restore_unchanged`, or the editor's own `in_use`, `not_editable`, `transition`, …)
 */
import { Hono } from 'hono';
import type { App } from '../../app-types';
import { queryInput } from '../../middleware/query';
import { ChangeQuery, type RestoreResult } from '../../schema/changes';
import { restoreChange } from '../../services/admin/change-restore';
import { listChanges } from '../../services/admin/changes';

export const changeRoutes = new Hono<App>()
  .get('/', queryInput(ChangeQuery), async (c) => c.json(await listChanges(c.var.svc, c.req.valid('query')), 200))
  .post('/:id/restore', async (c) => {
    const result: RestoreResult = await restoreChange(c.var.svc, c, c.req.param('id'), new URL(c.req.url).origin);
    return c.json(result, 200);
  });
