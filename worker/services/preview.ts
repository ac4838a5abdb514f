/**
 * @module
 * "Preview as segment": answers a decide as the token's segment and arms, reading only the
 * cached configuration and writing nothing (no events, no exposures).
 */
import { decideSlots } from '../core/decide';
import type { Db } from '../db/client';
import type { DecideResponse } from '../schema/api';
import type { PreviewClaims } from '../lib/preview-token';
import { getConfig } from './config-store';

export async function previewDecision(db: Db, visitorId: string, slots: string[], claims: PreviewClaims): Promise<DecideResponse> {
  const config = await getConfig(db);
  const segment = claims.segment ? (config.source.segments.find((s) => s.key === claims.segment) ?? null) : null;
  const d = decideSlots(config, segment?.key ?? null, slots, visitorId, { exposures: {} }, claims.arms);
  return {
    visitorId,
    segment: segment ? { key: segment.key, name: segment.name } : null,
    slots: d.slots,
    preview: true,
  };
}
