/**
 * @module
 * Slots and variants: create/delete slots, and the variant editor (draft, save with the
 * sanitizer's report of what it removed, field errors).
 */
import { signal } from '@preact/signals';
import type { Variant } from '@worker/schema/config';
import { api, ApiFailure, unwrap } from '../api/client';
import { createForm } from '../lib/form';
import { type FieldErrors, toFieldErrors } from '../lib/issues';
import { experiments, loadConfig, variants } from './configModel';

export interface RemovedItem {
  kind: string;
  name: string;
  detail?: string;
}

/** The variants of one (slot, segment) cell, in serving order (the first enabled one is served). */
export const cellVariants = (slot: string, segment: string) => variants.value.filter((v) => v.slot === slot && v.segment === segment);

/** The experiment running (or paused/draft) on a cell, if any. */
export const cellExperiment = (slot: string, segment: string) =>
  experiments.value.find((e) => e.slot === slot && e.segment === segment && e.status !== 'stopped') ?? null;

export async function createSlot(key: string, name: string): Promise<FieldErrors | null> {
  try {
    await unwrap(api.slots.$post({ json: { key, name } }));
    await loadConfig();
    return null;
  } catch (err) {
    if (err instanceof ApiFailure && err.issues.length) return toFieldErrors(err.issues);
    throw err;
  }
}

export async function deleteSlot(key: string): Promise<void> {
  await unwrap(api.slots[':key'].$delete({ param: { key } }));
  await loadConfig();
}

export async function deleteVariant(id: string): Promise<void> {
  await unwrap(api.variants[':id'].$delete({ param: { id } }));
  await loadConfig();
}

export type VariantDraft = Pick<Variant, 'name' | 'html' | 'enabled'>;

/**
 * @example const ed = createVariantEditor('hero', 'hot_lead', null); ed.update({html}); await ed.save();
 */
export function createVariantEditor(slot: string, segment: string, existing: Variant | null) {
  const removed = signal<RemovedItem[]>([]);
  let current = existing;
  let lastRemoved: RemovedItem[] = [];
  const form = createForm({
    initial: (existing
      ? { name: existing.name, html: existing.html, enabled: existing.enabled }
      : { name: '', html: '', enabled: true }) as VariantDraft,
    submit: async (d: VariantDraft): Promise<Variant> => {
      const body = current
        ? await unwrap(api.variants[':id'].$put({ param: { id: current.id }, json: d }))
        : await unwrap(api.variants.$post({ json: { ...d, slot, segment } }));
      current = body.variant;
      lastRemoved = body.removed;
      await loadConfig();
      return body.variant;
    },
    // Show the stored (sanitized) HTML, so what you see is what visitors get; the report of what
    // the sanitizer removed appears in the same update as that HTML, never before it.
    after: (v) => {
      removed.value = lastRemoved;
      return { name: v.name, html: v.html, enabled: v.enabled };
    },
  });
  return {
    ...form,
    removed,
    get id() {
      return current?.id ?? null;
    },
  };
}
export type VariantEditor = ReturnType<typeof createVariantEditor>;
