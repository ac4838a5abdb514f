/**
 * @module
 * `GET/PUT /api/scoring`: the points table, decay and tier thresholds, and the fit points
 * (rules that test a trait, kept as one JSON setting: a short list read with the rest of the
 * configuration). PUT replaces the whole table atomically (one batch), so the hot path never
 * sees half a table; a PUT without `fit` leaves the fit points as they are.
 */
import { Hono } from 'hono';
import type { App } from '../../app-types';
import { loadSiteConfig, storedScoringRule } from '../../services/config-store';
import { logChange } from '../../services/admin/changes';
import { commitConfig } from '../../services/admin/commit';
import { scoringWrites } from '../../services/admin/config-writes';
import { ScoringPut } from './inputs';
import { zjson } from './validate';

export const scoringRoutes = new Hono<App>()
  .get('/', async (c) => c.json((await loadSiteConfig(c.var.svc)).scoring, 200))
  .put('/', zjson(ScoringPut), async (c) => {
    const body = c.req.valid('json');
    const db = c.var.svc.db;
    const before = (await loadSiteConfig(c.var.svc)).scoring;
    // Logged as the table reads back.
    const after = {
      rules: body.rules.map(storedScoringRule),
      settings: body.settings,
      fit: body.fit ?? before.fit,
    };
    await commitConfig(c.var.svc, scoringWrites(db, body), [logChange(c, 'scoring', 'scoring', before, after)]);
    return c.json((await loadSiteConfig(c.var.svc)).scoring, 200);
  });
