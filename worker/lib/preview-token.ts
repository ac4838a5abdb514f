/**
 * @module
 * "Preview as segment" tokens: signed by the admin API, short-lived, read by /v1/decide, which
 * then answers as that segment (and chosen arms) without writing any data or exposures.
 * They need their own `PREVIEW_SECRET`: without it previews answer 503 `not_configured`.
 */
import { signJwt, verifyJwt } from './jwt';
import type { Env } from '../env';
import { requireSecret } from './secrets';

export interface PreviewClaims {
  segment: string | null;
  /** experiment id → arm key to show. */
  arms: Record<string, string>;
}

export const PREVIEW_TTL_SECONDS = 30 * 60;

export async function signPreviewToken(env: Env, claims: PreviewClaims, now: number): Promise<string> {
  const secret = requireSecret(env, 'PREVIEW_SECRET');
  return signJwt({ typ: 'dw-preview', ...claims, iat: Math.floor(now / 1000), exp: Math.floor(now / 1000) + PREVIEW_TTL_SECONDS }, secret);
}

export async function readPreviewToken(env: Env, token: string, now: number): Promise<PreviewClaims | null> {
  const r = await verifyJwt(token, requireSecret(env, 'PREVIEW_SECRET'), now);
  if (!r.ok || r.payload.typ !== 'dw-preview') return null;
  const segment = typeof r.payload.segment === 'string' ? r.payload.segment : null;
  const arms: Record<string, string> = {};
  if (r.payload.arms && typeof r.payload.arms === 'object') {
    for (const [k, v] of Object.entries(r.payload.arms as Record<string, unknown>)) if (typeof v === 'string') arms[k] = v;
  }
  return { segment, arms };
}
