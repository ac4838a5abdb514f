/**
 * @module
 * "Preview as segment": the chosen segment, arms and page, and the signed link from
 * `POST /api/preview` (nothing is recorded when the page is opened with it).
 */
import { signal } from '@preact/signals';
import { api, ApiFailure, unwrap } from '../api/client';
import { toFieldErrors, type FieldErrors } from '../lib/issues';
import { experiments } from './configModel';

export const previewSegment = signal<string | null>(null);
export const previewUrl = signal<string>(typeof location === 'undefined' ? '' : `${location.origin}/demo/`);
/** experiment id → arm key ('' = assigned as for a real visitor). */
export const previewArms = signal<Record<string, string>>({});
export const previewLink = signal<{ url: string; expiresAt: string } | null>(null);
export const previewErrors = signal<FieldErrors>({});
export const previewFailure = signal<ApiFailure | null>(null);

/** Experiments a preview of `segment` can choose an arm in. */
export const experimentsFor = (segment: string | null) =>
  segment === null ? [] : experiments.value.filter((e) => e.segment === segment && e.status !== 'stopped');

export async function createPreviewLink(): Promise<string | null> {
  previewErrors.value = {};
  previewFailure.value = null;
  previewLink.value = null;
  const arms = Object.fromEntries(
    Object.entries(previewArms.value).filter(([id, arm]) => arm && experimentsFor(previewSegment.value).some((e) => e.id === id)),
  );
  try {
    const body = await unwrap(api.preview.$post({ json: { url: previewUrl.value.trim(), segment: previewSegment.value, arms } }));
    previewLink.value = { url: body.url, expiresAt: body.expiresAt };
    return body.url;
  } catch (err) {
    if (err instanceof ApiFailure) {
      previewErrors.value = toFieldErrors(err.issues);
      previewFailure.value = err;
      return null;
    }
    throw err;
  }
}
