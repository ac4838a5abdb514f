/**
 * @module
 * Helpers for the /demo site only (DEMO_MODE="true"): the demo plays the site's own server,
 * signing identify tokens for two sample companies, and shows the visitor's score panel.
 * Disabled (404) everywhere else.
 */
import { Hono } from 'hono';
import type { App } from '../app-types';
import { ApiError, invalid, notFound } from '../errors';
import { signJwt } from '../lib/jwt';
import { VisitorId } from '../schema/api';
import { visitorSummary } from '../services/visitor-summary';

const DEMO_MEMBERS = {
  saas: { sub: 'demo-saas-120', traits: { industry: 'SaaS', employees: 120, department: 'marketing', level: 'manager', phase: 'evaluating' } },
  manufacturer: { sub: 'demo-mfg-300', traits: { industry: 'Manufacturing', employees: 300, department: 'production', level: 'staff' } },
} as const;

export const demoRoutes = new Hono<App>()
  .use(async function demoOnly(c, next) {
    if (c.env.DEMO_MODE !== 'true') throw new ApiError(404, 'not_found', 'Not found');
    await next();
  })
  .get('/token', async (c) => {
    const as = c.req.query('as') as keyof typeof DEMO_MEMBERS;
    const member = DEMO_MEMBERS[as];
    if (!member) throw new ApiError(400, 'invalid_request', 'as must be "saas" or "manufacturer"');
    const token = await signJwt({ ...member, exp: Math.floor(Date.now() / 1000) + 600 }, c.env.IDENTIFY_SECRET);
    return c.json({ token }, 200);
  })
  .get('/visitor/:visitorId', async (c) => {
    const id = VisitorId.safeParse(c.req.param('visitorId'));
    if (!id.success) throw invalid(id.error, 'Invalid visitor id');
    const summary = await visitorSummary(c.var.d1, c.var.db, id.data, Date.now());
    if (!summary) throw notFound('Visitor');
    return c.json(summary, 200);
  });
