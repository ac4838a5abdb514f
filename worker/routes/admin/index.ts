/**
 * @module
 * The admin API (`/api/*`, `Authorization: Bearer <ADMIN_TOKEN>`), one chained Hono per resource.
 * `AdminApi` is the type the console's typed client (`hc<AdminApi>`) is built from, so a
 * changed route or schema breaks the admin's build rather than the marketer's screen.
 */
import { Hono } from 'hono';
import type { App } from '../../app-types';
import { visitorRoutes } from '../visitors';
import { alertRoutes, deliveryRoutes } from './alerts';
import { categoryRoutes } from './categories';
import { changeRoutes } from './changes';
import { configRoutes } from './config';
import { experimentRoutes } from './experiments';
import { memberFileRoutes } from './member-files';
import { memberRoutes } from './members';
import { modelRoutes } from './models';
import { previewRoutes } from './preview';
import { resultsRoutes } from './results';
import { scoringRoutes } from './scoring';
import { segmentHistoryRoutes } from './segment-history';
import { segmentOrderRoutes, segmentRoutes } from './segments';
import { siteRoutes } from './site';
import { slotRoutes } from './slots';
import { variantRoutes } from './variants';
import { vocabularyRoutes } from './vocabulary';

export const adminRoutes = new Hono<App>()
  .route('/visitors', visitorRoutes)
  .route('/config', configRoutes)
  .route('/scoring', scoringRoutes)
  .route('/site', siteRoutes)
  .route('/categories', categoryRoutes)
  .route('/segments', segmentRoutes)
  .route('/segment-order', segmentOrderRoutes)
  .route('/segment-history', segmentHistoryRoutes)
  .route('/models', modelRoutes)
  .route('/slots', slotRoutes)
  .route('/variants', variantRoutes)
  .route('/experiments', experimentRoutes)
  .route('/members', memberRoutes)
  .route('/', memberFileRoutes)
  .route('/preview', previewRoutes)
  .route('/alerts', alertRoutes)
  .route('/deliveries', deliveryRoutes)
  .route('/vocabulary', vocabularyRoutes)
  .route('/changes', changeRoutes)
  .route('/', resultsRoutes);

export type AdminApi = typeof adminRoutes;
