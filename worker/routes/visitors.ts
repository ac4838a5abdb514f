/**
 * @module
 * `GET /api/visitors/:visitorId` (docs/api.md#http-api, fixed shape). Mounted under the admin guard.
 */
import { Hono } from 'hono';
import type { App } from '../app-types';
import { invalid, notFound } from '../errors';
import { VisitorId } from '../schema/api';
import { visitorSummary } from '../services/visitor-summary';

export const visitorRoutes = new Hono<App>().get('/:visitorId', async (c) => {
  const id = VisitorId.safeParse(c.req.param('visitorId'));
  if (!id.success) throw invalid(id.error, 'Invalid visitor id');
  const summary = await visitorSummary(c.var.svc, id.data);
  if (!summary) throw notFound('Visitor');
  return c.json(summary, 200);
});
