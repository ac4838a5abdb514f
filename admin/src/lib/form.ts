/**
 * @module
 * The console's one form helper: a draft being edited, whether it differs from what was loaded or
 * last saved (`dirty`, for the unsaved-changes guard), the problems the form sees before sending,
 * the API's refusal as field errors plus a banner failure, and `saving` while it is sent. Every
 * editor (segment, content, experiment, scoring, page categories, display names, alert) is made of
 * one, with its own actions beside it.
 *
 * @example
 *   const form = createForm({
 *     initial: { rules: [] as CategoryRule[] },
 *     submit: (d) => unwrap(api.categories.$put({ json: d })),
 *   });
 *   form.update({ rules: [...form.draft.value.rules, rule] });
 *   form.dirty.value // true
 *   await form.save() // the API's answer, or null with form.errors / form.failure filled
 */
import { computed, type ReadonlySignal, type Signal, signal } from '@preact/signals';
import { ApiFailure } from '../api/client';
import { type FieldErrors, toFieldErrors } from './issues';

export interface FormOptions<D, R> {
  initial: D;
  /** Sends the draft; resolves to what the API answered. */
  submit: (draft: D) => Promise<R>;
  /** Problems visible before sending, by field path (none: send). */
  check?: (draft: D) => FieldErrors;
  /** A refusal's field errors (by default the issues' paths as they are). */
  errorsOf?: (failure: ApiFailure, draft: D) => FieldErrors;
  /** The draft to go on from after a save (by default the draft as sent). */
  after?: (saved: R, sent: D) => D;
}

export interface Form<D, R> {
  draft: Signal<D>;
  errors: Signal<FieldErrors>;
  failure: Signal<ApiFailure | null>;
  saving: ReadonlySignal<boolean>;
  /** True while the draft differs from what was loaded or last saved. */
  dirty: ReadonlySignal<boolean>;
  /** Merges a change into the draft. */
  update(patch: Partial<D>): void;
  /** Starts again from `next` (what was just loaded or restored): clean, no errors. */
  reset(next: D): void;
  /** Checks, sends; the answer, or null when the form or the API refused (errors filled). */
  save(): Promise<R | null>;
}

const snapshot = (d: unknown) => JSON.stringify(d);

export function createForm<D, R>(options: FormOptions<D, R>): Form<D, R> {
  const draft = signal<D>(options.initial);
  const baseline = signal(snapshot(options.initial));
  const errors = signal<FieldErrors>({});
  const failure = signal<ApiFailure | null>(null);
  const saving = signal(false);
  return {
    draft,
    errors,
    failure,
    saving,
    dirty: computed(() => snapshot(draft.value) !== baseline.value),
    update(patch) {
      draft.value = { ...draft.value, ...patch };
    },
    reset(next) {
      draft.value = next;
      baseline.value = snapshot(next);
      errors.value = {};
      failure.value = null;
    },
    async save() {
      const sent = draft.value;
      errors.value = options.check?.(sent) ?? {};
      failure.value = null;
      if (Object.keys(errors.value).length) return null;
      saving.value = true;
      try {
        const saved = await options.submit(sent);
        const next = options.after ? options.after(saved, sent) : sent;
        baseline.value = snapshot(next);
        // Edits made while it was being sent are kept.
        if (draft.value === sent) draft.value = next;
        return saved;
      } catch (err) {
        if (!(err instanceof ApiFailure)) throw err;
        failure.value = err;
        errors.value = options.errorsOf ? options.errorsOf(err, sent) : toFieldErrors(err.issues);
        return null;
      } finally {
        saving.value = false;
      }
    },
  };
}
