/**
 * @module
 * Propensity models in the console: the list (from the configuration), training one through
 * the typed API client, and the members it ranks highest now.
 */
import { signal } from '@preact/signals';
import type { EventType } from '@worker/schema/config';
import type { PropensityModel } from '@worker/schema/propensity';
import { api, ApiFailure, unwrap, type Body } from '../api/client';
import { toFieldErrors, type FieldErrors } from '../lib/issues';
import { loadConfig } from './configModel';

export interface TrainDraft {
  key: string;
  name: string;
  event: EventType;
  days: number;
  l2: number;
}

export const draft = signal<TrainDraft>({ key: 'inquiry_30d', name: '30日以内の問い合わせ', event: 'form_inquiry', days: 30, l2: 1 });
export const trainErrors = signal<FieldErrors>({});
export const trainFailure = signal<ApiFailure | null>(null);
export const training = signal(false);
/** The model just trained (shown open). */
export const opened = signal<string | null>(null);

export type RankedMembers = Body<Awaited<ReturnType<(typeof api.models)[':key']['members']['$get']>>>['members'];
export const ranked = signal<{ key: string; members: RankedMembers } | null>(null);

export async function trainModel(): Promise<PropensityModel | null> {
  training.value = true;
  trainErrors.value = {};
  trainFailure.value = null;
  try {
    const model = (await unwrap(api.models.$post({ json: draft.value }))) as PropensityModel;
    await loadConfig();
    opened.value = model.key;
    return model;
  } catch (err) {
    if (err instanceof ApiFailure) {
      trainErrors.value = toFieldErrors(err.issues);
      trainFailure.value = err;
      return null;
    }
    throw err;
  } finally {
    training.value = false;
  }
}

export async function loadRanked(key: string): Promise<void> {
  const body = await unwrap(api.models[':key'].members.$get({ param: { key } }));
  ranked.value = { key, members: body.members.slice(0, 10) };
}
