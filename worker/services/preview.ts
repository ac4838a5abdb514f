/**
 * @module
 * "Preview as segment": answers a decide as the token's segment and arms, with the configuration
 * as it is now (a preview right after an edit shows the edit, whichever isolate made it) and
 * writing nothing (no events, no exposures).
 */
import { decideSlots } from '../core/decide';
import type { DecideResponse } from '../schema/api';
import type { PreviewClaims } from '../lib/preview-token';
import { currentConfig } from './config-store';
import type { ServiceContext } from './context';

/**
 * @example return c.json(await previewDecision(c.var.svc, visitorId, ['hero'], claims), 200);
 */
export async function previewDecision(
  ctx: Pick<ServiceContext, 'd1' | 'db'>,
  visitorId: string,
  slots: string[],
  claims: PreviewClaims,
): Promise<DecideResponse> {
  const config = await currentConfig(ctx);
  const segment = claims.segment ? (config.source.segments.find((s) => s.key === claims.segment) ?? null) : null;
  const d = decideSlots(config, segment?.key ?? null, slots, visitorId, { exposures: {} }, claims.arms);
  return {
    visitorId,
    segment: segment ? { key: segment.key, name: segment.name } : null,
    slots: d.slots,
    preview: true,
  };
}
