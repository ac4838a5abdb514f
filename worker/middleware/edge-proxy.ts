/**
 * @module
 * Rewrite mode's entry: with `ORIGIN_URL` set, every request outside the edge's own paths
 * (`/v1/*`, `/api/*`, `/admin*`, `/dw.js`, `/demo*`, `/healthz`) is the site's, and goes to the
 * origin through services/rewrite/proxy.ts. Without it, the edge answers only its own paths.
 */
import type { MiddlewareHandler } from 'hono';
import type { App } from '../app-types';
import { isEdgePath } from '../core/rewrite-plan';
import { proxyRequest } from '../services/rewrite/proxy';

/**
 * @example
 *   app.use('*', edgeProxy());
 */
export function edgeProxy(): MiddlewareHandler<App> {
  return async function forwardToOrigin(c, next) {
    if (!c.env.ORIGIN_URL || isEdgePath(new URL(c.req.url).pathname)) return next();
    return proxyRequest(c.req.raw, c.env, c.executionCtx);
  };
}
