/**
 * @module
 * `GET /api/members?q=` (member id or visitor id prefix) and `GET /api/members/:id` (a member,
 * or an anonymous visitor, with score, tier, segment and why, score history and recent events).
 */
import { Hono } from 'hono';
import type { App } from '../../app-types';
import { notFound } from '../../errors';
import { memberDetail, searchMembers } from '../../services/admin/members';

export const memberRoutes = new Hono<App>()
  .get('/', async (c) => {
    const q = (c.req.query('q') ?? '').trim().slice(0, 128);
    return c.json({ q, results: await searchMembers(c.env.DB, c.var.db, q, Date.now()) }, 200);
  })
  .get('/:id', async (c) => {
    const detail = await memberDetail(c.env.DB, c.var.db, c.req.param('id'), Date.now());
    if (!detail) throw notFound('Member or visitor');
    return c.json(detail, 200);
  });
