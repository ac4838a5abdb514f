/**
 * @module
 * "Preview as segment": the preview screen's form (the chosen segment, arms and page), the signed
 * link from `POST /api/preview` (nothing is recorded when the page is opened with it), and what
 * the form and the frame need to decide (the default arm, the frame's sandbox).
 */
import { signal } from '@preact/signals';
import { api, unwrap } from '../api/client';
import { createForm } from '../lib/form';
import type { Experiment } from '@worker/schema/config';
import { experiments, variants } from './configModel';

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

/** What the preview form holds: the segment (null: none), the page, and arms chosen by hand. */
export interface PreviewDraft {
  segment: string | null;
  url: string;
  /** experiment id → arm key ('' = assigned as for a real visitor; unset = `defaultArm`). */
  arms: Record<string, string>;
}

/** The demo site on the console's own origin: a page the snippet is on, whatever the site. */
export const firstPreview = (): PreviewDraft => ({
  segment: null,
  url: typeof location === 'undefined' ? '' : `${location.origin}/demo/`,
  arms: {},
});

/**
 * The preview screen's form (one per visit): the choices, the signed link once made, and the width
 * the frame below shows the page at.
 * @example const p = createPreview(firstPreview()); p.update({ segment: 'hot_lead' }); await p.save() // the link's URL, or null
 */
export function createPreview(start: PreviewDraft) {
  const link = signal<{ url: string; expiresAt: string } | null>(null);
  /** The console's column, or a 375 px phone. */
  const device = signal<'desktop' | 'phone'>('desktop');
  const form = createForm({
    initial: start,
    submit: async (d: PreviewDraft): Promise<string> => {
      link.value = null;
      const arms = Object.fromEntries(
        experimentsFor(d.segment)
          .map((e) => [e.id, chosenArm(d, e)] as const)
          .filter(([, arm]) => arm),
      );
      const body = await unwrap(api.preview.$post({ json: { url: d.url.trim(), segment: d.segment, arms } }));
      link.value = { url: body.url, expiresAt: body.expiresAt };
      return body.url;
    },
  });
  return {
    ...form,
    link,
    device,
    /** The arm the form shows for an experiment. */
    armOf: (e: Pick<Experiment, 'id' | 'arms'>) => chosenArm(form.draft.value, e),
    chooseArm: (experimentId: string, arm: string) => form.update({ arms: { ...form.draft.value.arms, [experimentId]: arm } }),
  };
}
export type Preview = ReturnType<typeof createPreview>;

/** The arm chosen for an experiment: by hand, else the default. */
const chosenArm = (d: PreviewDraft, e: Pick<Experiment, 'id' | 'arms'>) => d.arms[e.id] ?? defaultArm(e);
