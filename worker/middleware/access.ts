/**
 * @module
 * Puts the actor of an admin request on `c.var.actor`, for the change log. With `ACCESS_AUD`
 * set, the console is meant to sit behind Cloudflare Access: every `/api/*` request must carry
 * a valid Access JWT (403 `access_denied` otherwise — the admin token alone no longer says who
 * is acting, so it no longer suffices) and the actor is the identity the JWT vouches for.
 * Without `ACCESS_AUD` the actor is "admin-token": the shared token says only that someone
 * holding it acted.
 */
import type { MiddlewareHandler } from 'hono';
import type { App } from '../app-types';
import { ApiError } from '../errors';
import { accessKeys, teamOrigin, verifyAccess } from '../lib/access-jwt';
import { ADMIN_TOKEN_ACTOR } from '../schema/changes';

export type ActorVars = { Variables: { actor: string } };

/**
 * @example
 *   app.use('/api/*', bearerAuth('ADMIN_TOKEN'));
 *   app.use('/api/*', accessIdentity());
 */
export function accessIdentity(): MiddlewareHandler<App> {
  return async function identifyActor(c, next) {
    const audience = (c.env.ACCESS_AUD ?? '')
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean);
    if (!audience.length) {
      c.set('actor', ADMIN_TOKEN_ACTOR);
      return next();
    }
    const issuer = teamOrigin(c.env.ACCESS_TEAM_DOMAIN);
    if (!issuer)
      throw new ApiError(503, 'not_configured', 'ACCESS_AUD is set, but ACCESS_TEAM_DOMAIN does not name a Cloudflare Access team');
    const result = await verifyAccess(c.req.header('cf-access-jwt-assertion'), c.req.header('cf-access-authenticated-user-email'), {
      audience,
      issuer,
      keys: accessKeys(issuer),
    });
    if (!result.ok && result.reason === 'keys_unavailable') {
      throw new ApiError(503, 'unavailable', 'The Cloudflare Access signing keys could not be fetched; try again');
    }
    if (!result.ok) {
      throw new ApiError(
        403,
        'access_denied',
        `Cloudflare Access did not vouch for this request (${result.reason})`,
        undefined,
        undefined,
        { reason: result.reason },
      );
    }
    c.set('actor', result.actor);
    await next();
  };
}
