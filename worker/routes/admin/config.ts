/**
 * @module
 * `GET /api/config`: the whole site configuration, for the console's first load.
 */
import { Hono } from 'hono';
import type { App } from '../../app-types';
import { loadSiteConfig } from '../../services/config-store';

export const configRoutes = new Hono<App>().get('/', async (c) => c.json(await loadSiteConfig(c.var.svc), 200));
