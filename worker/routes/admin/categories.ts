/**
 * @module
 * `GET/PUT /api/categories` (URL pattern → page category; PUT replaces the list) and
 * `POST /api/categories/test {url, rules?}` → which category a URL gets.
 */
import { Hono } from 'hono';
import type { App } from '../../app-types';
import { compileCategoryRules } from '../../core/categories';
import { loadSiteConfig } from '../../services/config-store';
import { logChange } from '../../services/admin/changes';
import { commitConfig } from '../../services/admin/commit';
import { categoryWrites } from '../../services/admin/config-writes';
import { CategoriesPut, CategoryTest } from './inputs';
import { zjson } from './validate';

export const categoryRoutes = new Hono<App>()
  .get('/', async (c) => c.json({ rules: (await loadSiteConfig(c.var.svc)).categories }, 200))
  .put('/', zjson(CategoriesPut), async (c) => {
    const { rules } = c.req.valid('json');
    const db = c.var.svc.db;
    const before = { rules: (await loadSiteConfig(c.var.svc)).categories };
    await commitConfig(c.var.svc, categoryWrites(db, rules), [logChange(c, 'categories', 'categories', before, { rules })]);
    return c.json({ rules }, 200);
  })
  .post('/test', zjson(CategoryTest), async (c) => {
    const body = c.req.valid('json');
    const rules = body.rules ?? (await loadSiteConfig(c.var.svc)).categories;
    return c.json({ url: body.url, category: compileCategoryRules(rules)(body.url) }, 200);
  });
