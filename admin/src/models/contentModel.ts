/**
 * @module
 * Slots and variants: create/delete slots, and the variant editor (draft, save with the
 * sanitizer's report of what it removed, field errors).
 */
import { computed, signal } from '@preact/signals';
import type { Variant } from '@worker/schema/config';
import { api, ApiFailure, unwrap } from '../api/client';
import { toFieldErrors, type FieldErrors } from '../lib/issues';
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
  const draft = signal<VariantDraft>(
    existing ? { name: existing.name, html: existing.html, enabled: existing.enabled } : { name: '', html: '', enabled: true },
  );
  const errors = signal<FieldErrors>({});
  const failure = signal<ApiFailure | null>(null);
  const removed = signal<RemovedItem[]>([]);
  const saving = signal(false);
  const baseline = signal(JSON.stringify(draft.value));
  let current = existing;
  return {
    draft,
    /** True while the draft differs from what was loaded or last saved. */
    dirty: computed(() => JSON.stringify(draft.value) !== baseline.value),
    errors,
    failure,
    removed,
    saving,
    get id() {
      return current?.id ?? null;
    },
    update(patch: Partial<VariantDraft>) {
      draft.value = { ...draft.value, ...patch };
    },
    async save(): Promise<Variant | null> {
      saving.value = true;
      errors.value = {};
      failure.value = null;
      try {
        const d = draft.value;
        const body = current
          ? await unwrap(api.variants[':id'].$put({ param: { id: current.id }, json: d }))
          : await unwrap(api.variants.$post({ json: { ...d, slot, segment } }));
        current = body.variant;
        removed.value = body.removed;
        // Show the stored (sanitized) HTML, so what you see is what visitors get.
        draft.value = { name: body.variant.name, html: body.variant.html, enabled: body.variant.enabled };
        baseline.value = JSON.stringify(draft.value);
        await loadConfig();
        return body.variant;
      } catch (err) {
        if (err instanceof ApiFailure) {
          errors.value = toFieldErrors(err.issues);
          failure.value = err;
          return null;
        }
        throw err;
      } finally {
        saving.value = false;
      }
    },
  };
}
export type VariantEditor = ReturnType<typeof createVariantEditor>;
