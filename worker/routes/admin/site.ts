/**
 * @module
 * `GET/PUT /api/site`: site-wide settings: the time zone (`timeZone`, an IANA name; UTC until
 * set) and the variant preview's stylesheet (`previewStylesheet`, null for none; left out of a
 * PUT, it is kept). Each change is logged (entity `site`). The site's days — daily caps, behaviour windows, trends, results by day,
 * segment history — follow it. A change is one batch: the setting, the re-dated exposures and
 * conversions, and the configuration stamp every isolate reloads on.
 */
import { Hono } from 'hono';
import type { App } from '../../app-types';
import { siteCalendar } from '../../core/zone';
import { SiteSettings } from '../../schema/config';
import { commitConfig } from '../../services/admin/commit';
import { logChange } from '../../services/admin/changes';
import { mergeSiteSettings, readSiteSettings, redayStatements, writeSiteSettings } from '../../services/admin/site-settings';
import { zjson } from './validate';

export const siteRoutes = new Hono<App>()
  .get('/', async (c) => c.json(await readSiteSettings(c.var.svc), 200))
  .put('/', zjson(SiteSettings), async (c) => {
    const db = c.var.svc.db;
    const before = await readSiteSettings(c.var.svc);
    const after = mergeSiteSettings(before, c.req.valid('json'));
    const reday = before.timeZone === after.timeZone ? [] : await redayStatements(c.var.svc, siteCalendar(after.timeZone));
    await commitConfig(c.var.svc, [writeSiteSettings(db, after), ...reday], [logChange(c, 'site', 'site', before, after)]);
    return c.json(after, 200);
  });
