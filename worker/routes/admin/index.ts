/**
 * @module
 * The admin API (`/api/*`, `Authorization: Bearer <ADMIN_TOKEN>`), one chained Hono per resource.
 * `AdminApi` is the type the console's typed client (`hc<AdminApi>`) is built from.
 */
import { Hono } from 'hono';
import type { App } from '../../app-types';
import { visitorRoutes } from '../visitors';

export const adminRoutes = new Hono<App>().route('/visitors', visitorRoutes);

export type AdminApi = typeof adminRoutes;
