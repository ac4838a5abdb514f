/**
 * @module
 * Propensity models in the console: the list comes from the configuration; this is the training
 * form (one per visit of the models screen) and each model's ranking of the members most likely
 * now (one per model card), both through the typed API client.
 */
import { signal } from '@preact/signals';
import type { EventType } from '@worker/schema/config';
import type { PropensityModel } from '@worker/schema/propensity';
import { api, type Body, unwrap } from '../api/client';
import { createForm } from '../lib/form';
import { createLoader } from '../lib/loader';
import { loadConfig } from './configModel';

export interface TrainDraft {
  key: string;
  name: string;
  event: EventType;
  days: number;
  l2: number;
}

/** What the training form starts from: "an inquiry within 30 days", the most common question. */
export const FIRST_TRAINING: TrainDraft = { key: 'inquiry_30d', name: '30日以内の問い合わせ', event: 'form_inquiry', days: 30, l2: 1 };

/**
 * The models screen's training form: trains, reloads the configuration (the new model is in its
 * list) and remembers which model was just trained, so the screen shows it first.
 * @example const trainer = createTrainer(); trainer.update({ days: 14 }); await trainer.save(); trainer.opened.value // 'inquiry_30d'
 */
export function createTrainer(start: TrainDraft = FIRST_TRAINING) {
  /** The model just trained (shown first). */
  const opened = signal<string | null>(null);
  const form = createForm({
    initial: start,
    submit: async (d: TrainDraft) => {
      const model = (await unwrap(api.models.$post({ json: d }))) as PropensityModel;
      await loadConfig();
      opened.value = model.key;
      return model;
    },
  });
  return { ...form, opened };
}
export type Trainer = ReturnType<typeof createTrainer>;

export type RankedMembers = Body<Awaited<ReturnType<(typeof api.models)[':key']['members']['$get']>>>['members'];

/**
 * The ten members a model ranks highest now, with the factors behind each; one per model card.
 * @example const top = createRanking('inquiry_30d'); await top.load(); top.state.value.data?.[0]?.probability
 */
export function createRanking(key: string) {
  return createLoader(
    async (): Promise<RankedMembers> => (await unwrap(api.models[':key'].members.$get({ param: { key }, query: { limit: '10' } }))).members,
  );
}
