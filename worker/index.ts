/**
 * @module
 * The dashiwake edge: public browser API, server API, admin API and the static assets
 * (snippet, demo site, admin console).
 */
import { type Context, Hono } from 'hono';
import type { App } from './app-types';
import { errorBody, onError } from './errors';
import { accessIdentity } from './middleware/access';
import { adminHeaders } from './middleware/admin-headers';
import { alertDispatch } from './middleware/alert-dispatch';
import { bearerAuth } from './middleware/auth';
import { publicCors } from './middleware/cors';
import { backgroundContext, dbProvider } from './middleware/db';
import { edgeProxy } from './middleware/edge-proxy';
import { isLocalDev } from './lib/secrets';
import { openApiDocument } from './openapi';
import { adminRoutes } from './routes/admin';
import { demoRoutes } from './routes/demo';
import { publicRoutes } from './routes/public';
import { readSiteSettings, stylesheetOrigin } from './services/admin/site-settings';
import { serverRoutes } from './routes/server';
import type { Env } from './env';
import { handleAlertBatch } from './services/alerts/consumer';
import type { AlertMessage } from './services/alerts/outbox';
import { sweepAlertOutbox } from './services/alerts/sweep';
import { runRetention, retentionOptions } from './services/retention/job';
import { countSegmentDay } from './services/segment-history';
import { storageStep } from './services/deadline';
import { HEALTH_DEADLINE_MS, storageAnswers } from './services/health';
import { handleWriteBatch } from './services/writes/consumer';
import { WRITES_DLQ, WRITES_QUEUE } from './services/writes/message';

const app = new Hono<App>();

app.onError(onError);
app.notFound((c) => c.json(errorBody('not_found', `No route for ${c.req.method} ${new URL(c.req.url).pathname}`), 404));

// Rewrite mode (ORIGIN_URL set): the site's own paths go to its origin, personalized on the way.
app.use('*', edgeProxy());

// `localDev` lets the console's sign-in screen show the dev token hint only where it is true
// (it is never set on a deployment, so it tells a visitor nothing they could use).
// `?storage` also asks D1 (services/health.ts): 503 `unavailable` when it does not answer.
app.get('/healthz', async (c) => {
  const body = isLocalDev(c.env) ? { ok: true, localDev: true } : { ok: true };
  if (c.req.query('storage') === undefined) return c.json(body, 200);
  await storageStep('health check', storageAnswers(backgroundContext(c.env)), HEALTH_DEADLINE_MS);
  return c.json({ ...body, storage: 'ok' }, 200);
});
app.get('/openapi.json', (c) => c.json(openApiDocument(app), 200));

app.use('/v1/*', dbProvider());
app.use('/api/*', dbProvider());
app.use('/demo/api/*', dbProvider());
// Alerts fired by a request's writes go to the alerts queue once their batch has committed.
app.use('/v1/*', alertDispatch());

// Server-to-server first, so the browser CORS/origin rules never apply to it.
app.use('/v1/server/*', bearerAuth('SERVER_API_KEY'));
app.route('/v1/server', serverRoutes);

// CORS for the allowed origins; any other browser origin is refused (middleware/cors.ts).
app.use('/v1/*', publicCors());
app.route('/v1', publicRoutes);

app.use('/api/*', bearerAuth('ADMIN_TOKEN'));
// Who is acting, for the change log: the Cloudflare Access identity when ACCESS_AUD is set.
app.use('/api/*', accessIdentity());
app.route('/api', adminRoutes);

app.route('/demo/api', demoRoutes);

// The admin is a single-page app: any /admin/* deep link gets its shell. Its security headers
// cover the shell, its assets and the /admin redirect ("/admin/*" also matches "/admin").
app.use('/admin/*', dbProvider());
app.use(
  '/admin/*',
  adminHeaders<Context<App>>(async (c) => stylesheetOrigin(await readSiteSettings(c.var.svc))),
);
app.get('/admin', (c) => c.redirect('/admin/', 301));
app.get('/admin/*', async (c) => {
  const url = new URL(c.req.url);
  const asset = await c.env.ASSETS.fetch(new Request(url, c.req.raw));
  if (asset.status !== 404 && !url.pathname.endsWith('/')) return asset;
  // Ask for the directory, not /admin/index.html: the assets' default html_handling
  // ("auto-trailing-slash") answers index.html paths with a redirect to the directory.
  return c.env.ASSETS.fetch(new Request(new URL('/admin/', url), c.req.raw));
});

/**
 * The worker's handlers: HTTP (the Hono app), the queue consumers (a decide's writes; alert
 * deliveries; their dead letters) and the cron that re-enqueues overdue alert deliveries and
 * counts segment history once a site day.
 */
export default Object.assign(app, {
  queue: (batch: MessageBatch<AlertMessage>, env: Env) =>
    batch.queue === WRITES_QUEUE || batch.queue === WRITES_DLQ
      ? handleWriteBatch(batch, backgroundContext(env))
      : handleAlertBatch(batch, backgroundContext(env)),
  scheduled: (_controller: ScheduledController, env: Env, ctx: ExecutionContext) => {
    ctx.waitUntil(sweepAlertOutbox(backgroundContext(env), env.ALERTS_QUEUE));
    // Segment history: counts the site's day that ended last, once (a no-op on every other run).
    ctx.waitUntil(countSegmentDay(backgroundContext(env)));
    // Event retention: raw events past the horizon leave D1 in chunks, archived to R2 first when
    // ARCHIVE is bound (docs/storage.md#event-retention). One run at a time; each resumes the last.
    ctx.waitUntil(runRetention(backgroundContext(env), retentionOptions(env)));
  },
});
// Durable Object classes are exported from the main module (wrangler.toml durable_objects).
export { AuthThrottle } from './services/auth-throttle';
export type AppType = typeof app;
/** For a typed server-to-server client: `hc<ServerApi>('https://edge/v1/server', { headers })`. */
export type ServerApi = typeof serverRoutes;
