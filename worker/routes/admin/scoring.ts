/**
 * @module
 * `GET/PUT /api/scoring`: the points table, decay and tier thresholds, and the fit points
 * (rules that test a trait, kept as one JSON setting: a short list read with the rest of the
 * configuration). PUT replaces the whole table atomically (one batch), so the hot path never
 * sees half a table; a PUT without `fit` leaves the fit points as they are.
 */
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import type { App } from '../../app-types';
import { schema } from '../../db/client';
import { loadSiteConfig } from '../../services/config-store';
import { commitConfig } from '../../services/admin/commit';
import { ScoringPut } from './inputs';
import { zjson } from './validate';

export const scoringRoutes = new Hono<App>()
  .get('/', async (c) => c.json((await loadSiteConfig(c.var.db)).scoring, 200))
  .put('/', zjson(ScoringPut), async (c) => {
    const body = c.req.valid('json');
    const db = c.var.db;
    await commitConfig(db, [
      db.delete(schema.scoringRules),
      ...body.rules.map((r, position) =>
        db.insert(schema.scoringRules).values({
          id: r.id,
          eventType: r.eventType,
          match: r.match,
          points: r.points,
          dailyCap: r.dailyCap,
          enabled: r.enabled,
          position,
        }),
      ),
      db
        .insert(schema.settings)
        .values({ key: 'scoring', value: body.settings })
        .onConflictDoUpdate({ target: schema.settings.key, set: { value: sql`excluded.value` } }),
      ...(body.fit
        ? [
            db
              .insert(schema.settings)
              .values({ key: 'fit_rules', value: body.fit })
              .onConflictDoUpdate({ target: schema.settings.key, set: { value: sql`excluded.value` } }),
          ]
        : []),
    ]);
    return c.json((await loadSiteConfig(db)).scoring, 200);
  });
