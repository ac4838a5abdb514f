/**
 * @module
 * "Preview as segment": the chosen segment, arms and page, and the signed link from
 * `POST /api/preview` (nothing is recorded when the page is opened with it).
 */
import { signal } from '@preact/signals';
import { api, ApiFailure, unwrap } from '../api/client';
import { toFieldErrors, type FieldErrors } from '../lib/issues';
import type { Experiment } from '@worker/schema/config';
import { experiments, variants } from './configModel';

export const previewSegment = signal<string | null>(null);
export const previewUrl = signal<string>(typeof location === 'undefined' ? '' : `${location.origin}/demo/`);
/** experiment id → arm key ('' = assigned as for a real visitor; unset = `defaultArm`). */
export const previewArms = signal<Record<string, string>>({});
export const previewLink = signal<{ url: string; expiresAt: string } | null>(null);
export const previewErrors = signal<FieldErrors>({});
export const previewFailure = signal<ApiFailure | null>(null);
/** The width the preview frame shows the page at: the console's column, or a 375 px phone. */
export const previewDevice = signal<'desktop' | 'phone'>('desktop');

/**
 * The sandbox of the preview frame. A page on another site keeps its own origin (its snippet
 * needs its cookies); a page served from the console's own origin (the demo, or the site through
 * the edge) gets an opaque one, so its scripts can never reach the console's session.
 * @example frameSandbox('https://www.example.jp/', 'https://edge.example.jp') // 'allow-scripts allow-forms allow-popups allow-same-origin'
 */
export function frameSandbox(url: string, consoleOrigin: string): string {
  const base = 'allow-scripts allow-forms allow-popups';
  try {
    return new URL(url).origin === consoleOrigin ? base : `${base} allow-same-origin`;
  } catch {
    return base;
  }
}

/** Experiments a preview of `segment` can choose an arm in. */
export const experimentsFor = (segment: string | null) =>
  segment === null ? [] : experiments.value.filter((e) => e.segment === segment && e.status !== 'stopped');

/**
 * The arm a preview shows unless told otherwise: the one with the newest content, because a
 * marketer previews to see what they just made (the control is the page they already know).
 * @example defaultArm({arms: [{key: 'control', variant: null}, {key: 'b', variant: 'newest_id'}]}) // 'b'
 */
export function defaultArm(e: Pick<Experiment, 'arms'>): string {
  const order = variants.value.map((v) => v.id);
  const withContent = e.arms.filter((a) => a.variant !== null);
  const newest = withContent.reduce<(typeof withContent)[number] | null>(
    (best, a) => (!best || order.indexOf(a.variant!) > order.indexOf(best.variant!) ? a : best),
    null,
  );
  return newest?.key ?? '';
}

/** The arm chosen for an experiment in the preview form. */
export const chosenArm = (e: Pick<Experiment, 'id' | 'arms'>) => previewArms.value[e.id] ?? defaultArm(e);

export async function createPreviewLink(): Promise<string | null> {
  previewErrors.value = {};
  previewFailure.value = null;
  previewLink.value = null;
  const arms = Object.fromEntries(
    experimentsFor(previewSegment.value)
      .map((e) => [e.id, chosenArm(e)] as const)
      .filter(([, arm]) => arm),
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
