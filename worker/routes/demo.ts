/**
 * @module
 * Helpers for the /demo site only (DEMO_MODE="true"): the demo plays the site's own server,
 * signing identify tokens for two sample companies, and shows the visitor's score panel — with
 * names instead of keys (`/names`: display names, segment, slot and content names, experiments
 * and their arms; the admin API that has them needs the admin token, which a page never holds)
 * and which experiment arm the visitor is in (`/visitor/:id` → `exposures`).
 * Disabled (404) everywhere else.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { App } from '../app-types';
import { ApiError, invalid, notFound } from '../errors';
import { signJwt } from '../lib/jwt';
import { queryInput } from '../middleware/query';
import { VisitorId } from '../schema/api';
import { loadVocabulary } from '../services/admin/vocabulary';
import { loadSiteConfig } from '../services/config-store';
import { readVisitorState } from '../services/profile-store';
import { visitorSummary } from '../services/visitor-summary';

/** Two sample members, with traits the demo's display names know (業種, 従業員数, 部署, 役職). */
const DEMO_MEMBERS = {
  saas: { sub: 'demo-saas-120', traits: { industry: 'SaaS', employees: 120, department: 'マーケティング部', role: '課長' } },
  manufacturer: { sub: 'demo-mfg-300', traits: { industry: 'Manufacturing', employees: 300, department: '生産管理部', role: '担当者' } },
} as const;

/** `?as=saas` or `?as=manufacturer`: which sample member signs in. */
const DemoTokenQuery = z.object({ as: z.enum(['saas', 'manufacturer']) });

export const demoRoutes = new Hono<App>()
  .use(async function demoOnly(c, next) {
    if (c.env.DEMO_MODE !== 'true') throw new ApiError(404, 'not_found', 'Not found');
    await next();
  })
  .get('/token', queryInput(DemoTokenQuery), async (c) => {
    const member = DEMO_MEMBERS[c.req.valid('query').as];
    const token = await signJwt({ ...member, exp: Math.floor(Date.now() / 1000) + 600 }, c.env.IDENTIFY_SECRET);
    return c.json({ token }, 200);
  })
  .get('/visitor/:visitorId', async (c) => {
    const id = VisitorId.safeParse(c.req.param('visitorId'));
    if (!id.success) throw invalid(id.error, 'Invalid visitor id');
    const summary = await visitorSummary(c.var.svc, id.data);
    if (!summary) throw notFound('Visitor');
    // Experiment → arm, so the panel can say "you see: control" also for a page the edge decided
    // (rewrite mode), where the browser never saw the decision. A second read: demo-only.
    const { profile } = await readVisitorState(c.var.svc, id.data, []);
    const exposures = Object.fromEntries(Object.entries(profile.exposures ?? {}).map(([experiment, e]) => [experiment, e.arm]));
    return c.json({ ...summary, exposures }, 200);
  })
  .get('/names', async (c) => {
    const [config, vocabulary] = await Promise.all([loadSiteConfig(c.var.svc), loadVocabulary(c.var.svc)]);
    return c.json(
      {
        vocabulary,
        segments: config.segments.map((s) => ({ key: s.key, name: s.name })),
        slots: config.slots.map((s) => ({ key: s.key, name: s.name })),
        variants: config.variants.map((v) => ({ id: v.id, name: v.name, slot: v.slot, segment: v.segment })),
        experiments: config.experiments.map((e) => ({
          id: e.id,
          name: e.name,
          slot: e.slot,
          segment: e.segment,
          status: e.status,
          arms: e.arms,
        })),
      },
      200,
    );
  });
