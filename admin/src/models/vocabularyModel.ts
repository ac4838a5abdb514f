/**
 * @module
 * The display-name vocabulary: loaded after sign-in (every screen reads it through
 * lib/names), and its editor: rows of key → Japanese and English names (with known values
 * for props and traits), saved whole with `PUT /api/vocabulary`.
 */
import { signal } from '@preact/signals';
import type { Label, Vocabulary, VocabularyInput } from '@worker/schema/vocabulary';
import { type ApiFailure, api, unwrap } from '../api/client';
import { createForm } from '../lib/form';
import { issueText } from '../lib/problemText';
import { type FieldErrors, pathKey } from '../lib/issues';
import { EVENT_TYPES, DIMENSION_PROPS } from '../lib/vocab';
import { vocabulary } from './vocabularyState';

export { vocabulary };

export const vocabularyError = signal<unknown>(null);

/** Loads the names (after sign-in, and on the names screen if that failed). */
export async function loadVocabulary(): Promise<void> {
  try {
    vocabulary.value = await unwrap(api.vocabulary.$get());
    vocabularyError.value = null;
  } catch (err) {
    vocabularyError.value = err;
    throw err;
  }
}

export interface ValueRow {
  value: string;
  ja: string;
  en: string;
}
export interface NameRow {
  key: string;
  ja: string;
  en: string;
  values: ValueRow[];
}
export interface VocabularyDraft {
  events: NameRow[];
  props: NameRow[];
  traits: NameRow[];
}

type Named = Label & { values?: Record<string, Label> };

const rowOf = (key: string, l: Partial<Named> | undefined): NameRow => ({
  key,
  ja: l?.ja ?? '',
  en: l?.en ?? '',
  values: Object.entries(l?.values ?? {}).map(([value, n]) => ({ value, ja: n.ja, en: n.en })),
});

/** Rows for the editor: every event type and prop (fixed lists), the site's traits as stored. */
export function toDraft(v: Vocabulary): VocabularyDraft {
  const events = v.events as Record<string, Label>;
  const props = v.props as Record<string, Named>;
  return {
    events: EVENT_TYPES.map((k) => rowOf(k, events[k])),
    props: DIMENSION_PROPS.map((k) => rowOf(k, props[k])),
    traits: Object.entries(v.traits).map(([k, l]) => rowOf(k, l)),
  };
}

function record(rows: NameRow[], withValues: boolean): Record<string, Named> {
  const out: Record<string, Named> = {};
  for (const r of rows) {
    const key = r.key.trim();
    if (!key) continue;
    const values = r.values.filter((x) => x.value.trim());
    out[key] = {
      ja: r.ja,
      en: r.en,
      ...(withValues && values.length ? { values: Object.fromEntries(values.map((x) => [x.value.trim(), { ja: x.ja, en: x.en }])) } : {}),
    };
  }
  return out;
}

/**
 * The body of `PUT /api/vocabulary` (rows without a key are dropped; blank value rows too).
 * @example fromDraft({events: [], props: [], traits: [{key: 'industry', ja: '業種', en: '', values: []}]}).traits // {industry: {ja: '業種', en: ''}}
 */
export function fromDraft(d: VocabularyDraft): VocabularyInput {
  return { events: record(d.events, false), props: record(d.props, true), traits: record(d.traits, true) } as VocabularyInput;
}

/** Problems the form can see before sending: a trait row with names but no key, a key twice. */
export function draftProblems(d: VocabularyDraft): FieldErrors {
  const out: FieldErrors = {};
  const seen = new Set<string>();
  d.traits.forEach((r, i) => {
    const key = r.key.trim();
    if (!key && (r.ja.trim() || r.en.trim()))
      out[`traits.${i}.key`] = issueText({ code: 'too_small', params: { origin: 'string', minimum: 1 } });
    else if (key && seen.has(key)) out[`traits.${i}.key`] = issueText({ code: 'custom', params: { reason: 'duplicate' } });
    seen.add(key);
  });
  return out;
}

/** API issue paths name rows by key (`traits.industry.ja`); the form's rows are numbered. */
export function rowErrors(d: VocabularyDraft, issues: ApiFailure['issues']): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues) {
    const [section, key, ...rest] = issue.path;
    const rows = d[section as keyof VocabularyDraft];
    const i = rows ? rows.findIndex((r) => r.key.trim() === key) : -1;
    const at = i >= 0 ? pathKey([section!, i, ...rest]) : pathKey(issue.path);
    out[at] ??= issueText(issue);
  }
  return out;
}

export function createVocabularyEditor(start: Vocabulary) {
  const form = createForm({
    initial: toDraft(start),
    check: draftProblems,
    errorsOf: (err, d) => rowErrors(d, err.issues),
    submit: async (d: VocabularyDraft) => {
      vocabulary.value = await unwrap(api.vocabulary.$put({ json: fromDraft(d) }));
    },
  });
  const { draft } = form;
  return {
    ...form,
    update(section: keyof VocabularyDraft, i: number, patch: Partial<NameRow>) {
      draft.value = { ...draft.value, [section]: draft.value[section].map((r, j) => (j === i ? { ...r, ...patch } : r)) };
    },
    addTrait() {
      draft.value = { ...draft.value, traits: [...draft.value.traits, { key: '', ja: '', en: '', values: [] }] };
    },
    removeTrait(i: number) {
      draft.value = { ...draft.value, traits: draft.value.traits.filter((_, j) => j !== i) };
    },
    /** Saves; false when the form or the API refused (errors filled). */
    save: async (): Promise<boolean> => (await form.save()) !== null,
  };
}
export type VocabularyEditor = ReturnType<typeof createVocabularyEditor>;
