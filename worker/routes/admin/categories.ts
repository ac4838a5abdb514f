/**
 * @module
 * `GET/PUT /api/categories` (URL pattern → page category; PUT replaces the list) and
 * `POST /api/categories/test {url, rules?}` → which category a URL gets.
 */
import { Hono } from 'hono';
import type { App } from '../../app-types';
import { compileCategoryRules } from '../../core/categories';
import { schema } from '../../db/client';
import { loadSiteConfig } from '../../services/config-store';
import { commitConfig } from '../../services/admin/commit';
import { CategoriesPut, CategoryTest } from './inputs';
import { zjson } from './validate';

export const categoryRoutes = new Hono<App>()
  .get('/', async (c) => c.json({ rules: (await loadSiteConfig(c.var.db)).categories }, 200))
  .put('/', zjson(CategoriesPut), async (c) => {
    const { rules } = c.req.valid('json');
    const db = c.var.db;
    await commitConfig(db, [
      db.delete(schema.categoryRules),
      ...rules.map((r) => db.insert(schema.categoryRules).values({ id: r.id, pattern: r.pattern, category: r.category, priority: r.priority })),
    ]);
    return c.json({ rules }, 200);
  })
  .post('/test', zjson(CategoryTest), async (c) => {
    const body = c.req.valid('json');
    const rules = body.rules ?? (await loadSiteConfig(c.var.db)).categories;
    return c.json({ url: body.url, category: compileCategoryRules(rules)(body.url) }, 200);
  });
