/**
 * @module
 * "Preview as segment" tokens: signed by the admin API, short-lived, read by /v1/decide, which
 * then answers as that segment (and chosen arms) without writing any data or exposures.
 */
import { signJwt, verifyJwt } from './jwt';
import type { Env } from '../env';

export interface PreviewClaims {
  segment: string | null;
  /** experiment id → arm key to show. */
  arms: Record<string, string>;
}

export const PREVIEW_TTL_SECONDS = 30 * 60;

const secretOf = (env: Env) => `preview:${env.PREVIEW_SECRET || env.ADMIN_TOKEN}`;

export async function signPreviewToken(env: Env, claims: PreviewClaims, now: number): Promise<string> {
  return signJwt({ typ: 'dw-preview', ...claims, exp: Math.floor(now / 1000) + PREVIEW_TTL_SECONDS }, secretOf(env));
}

export async function readPreviewToken(env: Env, token: string, now: number): Promise<PreviewClaims | null> {
  const r = await verifyJwt(token, secretOf(env), now);
  if (!r.ok || r.payload.typ !== 'dw-preview') return null;
  const segment = typeof r.payload.segment === 'string' ? r.payload.segment : null;
  const arms = r.payload.arms && typeof r.payload.arms === 'object' ? (r.payload.arms as Record<string, string>) : {};
  return { segment, arms };
}
