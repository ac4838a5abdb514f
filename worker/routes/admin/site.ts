/**
 * @module
 * `GET/PUT /api/site`: site-wide settings, today the time zone (`{timeZone}`, an IANA name;
 * UTC until set). The site's days — daily caps, behaviour windows, trends, results by day,
 * segment history — follow it. A change is one batch: the setting, the re-dated exposures and
 * conversions, and the configuration stamp every isolate reloads on.
 */
import { Hono } from 'hono';
import type { App } from '../../app-types';
import { siteCalendar } from '../../core/zone';
import { SiteSettings } from '../../schema/config';
import { commitConfig } from '../../services/admin/commit';
import { readSiteSettings, redayStatements, writeSiteSettings } from '../../services/admin/site-settings';
import { zjson } from './validate';

export const siteRoutes = new Hono<App>()
  .get('/', async (c) => c.json(await readSiteSettings(c.var.db), 200))
  .put('/', zjson(SiteSettings), async (c) => {
    const body = c.req.valid('json');
    const db = c.var.db;
    const before = await readSiteSettings(db);
    const reday = before.timeZone === body.timeZone ? [] : await redayStatements(c.var.d1, db, siteCalendar(body.timeZone));
    await commitConfig(db, [writeSiteSettings(db, body), ...reday]);
    return c.json(body, 200);
  });
