/**
 * @module
 * `POST /api/preview {url, segment, arms}` → `{token, url, expiresAt}`: a signed, short-lived
 * token that makes the snippet on `url` show the page as `segment` (and the chosen arms),
 * with nothing written (no events, no exposures).
 */
import { Hono } from 'hono';
import type { App } from '../../app-types';
import { PREVIEW_TTL_SECONDS, signPreviewToken } from '../../lib/preview-token';
import { loadSiteConfig } from '../../services/config-store';
import { PreviewRequest } from './inputs';
import { fieldError, zjson } from './validate';

export const previewRoutes = new Hono<App>().post('/', zjson(PreviewRequest), async (c) => {
  const body = c.req.valid('json');
  const config = await loadSiteConfig(c.var.svc);
  if (body.segment !== null && !config.segments.some((s) => s.key === body.segment)) {
    throw fieldError(['segment'], `Segment "${body.segment}" does not exist`, 400, { reason: 'unknown', entity: 'segment' });
  }
  for (const [experimentId, arm] of Object.entries(body.arms)) {
    const e = config.experiments.find((x) => x.id === experimentId);
    if (!e)
      throw fieldError(['arms', experimentId], `Experiment "${experimentId}" does not exist`, 400, {
        reason: 'unknown',
        entity: 'experiment',
      });
    if (!e.arms.some((a) => a.key === arm))
      throw fieldError(['arms', experimentId], `Experiment "${experimentId}" has no arm "${arm}"`, 400, {
        reason: 'unknown',
        entity: 'arm',
      });
  }
  const now = Date.now();
  const token = await signPreviewToken(c.env, { segment: body.segment, arms: body.arms }, now);
  const url = new URL(body.url);
  url.searchParams.set('dw_preview', token);
  return c.json({ token, url: url.toString(), expiresAt: new Date(now + PREVIEW_TTL_SECONDS * 1000).toISOString() }, 200);
});
