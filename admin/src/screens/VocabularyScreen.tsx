/**
 * @module
 * Display names: what the console calls each event type, each event detail (and its values)
 * and each member attribute (and its known values), in Japanese and English. Keys are what the
 * site sends and never change here; every screen shows these names instead.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ErrorBox, Field, Loading } from '../components';
import { FormFailure, SaveButton } from '../components/FormActions';
import { ChangeHistory } from '../components/ChangeHistory';
import { errorText } from '../lib/errors';
import { useUnsavedGuard } from '../lib/unsavedGuard';
import { t } from '../i18n/catalogue';
import { announce } from '../models/uiModel';
import {
  createVocabularyEditor,
  loadVocabulary,
  vocabulary,
  vocabularyError,
  type NameRow,
  type VocabularyDraft,
  type VocabularyEditor,
} from '../models/vocabularyModel';

function Values({ editor, section, i, row }: { editor: VocabularyEditor; section: keyof VocabularyDraft; i: number; row: NameRow }) {
  const set = (values: NameRow['values']) => editor.update(section, i, { values });
  const e = editor.errors.value;
  const who = row.ja || row.en || row.key;
  return (
    <details class="values" open={row.values.length > 0 && row.values.length <= 4}>
      <summary>{t('vocab.values', { count: row.values.length })}</summary>
      <table class="table table-compact">
        <tbody>
          {row.values.map((v, j) => (
            <tr key={j}>
              <td>
                <Field label={t('vocab.valueKey', { name: who })} hideLabel error={e[`${section}.${i}.values.${v.value}`]}>
                  {(a) => (
                    <input
                      {...a}
                      class="mono input-short"
                      value={v.value}
                      onInput={(ev) => set(row.values.map((x, k) => (k === j ? { ...x, value: ev.currentTarget.value } : x)))}
                    />
                  )}
                </Field>
              </td>
              <td>
                <Field label={t('vocab.valueJa', { value: v.value })} hideLabel error={e[`${section}.${i}.values.${v.value}.ja`]}>
                  {(a) => (
                    <input
                      {...a}
                      value={v.ja}
                      placeholder={t('vocab.ja')}
                      onInput={(ev) => set(row.values.map((x, k) => (k === j ? { ...x, ja: ev.currentTarget.value } : x)))}
                    />
                  )}
                </Field>
              </td>
              <td>
                <Field label={t('vocab.valueEn', { value: v.value })} hideLabel error={e[`${section}.${i}.values.${v.value}.en`]}>
                  {(a) => (
                    <input
                      {...a}
                      value={v.en}
                      placeholder={t('vocab.en')}
                      onInput={(ev) => set(row.values.map((x, k) => (k === j ? { ...x, en: ev.currentTarget.value } : x)))}
                    />
                  )}
                </Field>
              </td>
              <td>
                <button
                  type="button"
                  class="btn btn-icon btn-ghost"
                  aria-label={`${t('common.remove')} ${v.value}`}
                  onClick={() => set(row.values.filter((_, k) => k !== j))}
                >
                  ×
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" class="btn btn-small" onClick={() => set([...row.values, { value: '', ja: '', en: '' }])}>
        + {t('vocab.addValue')}
      </button>
    </details>
  );
}

function Rows({
  editor,
  section,
  withValues,
  keyEditable,
}: {
  editor: VocabularyEditor;
  section: keyof VocabularyDraft;
  withValues: boolean;
  keyEditable: boolean;
}) {
  const rows = editor.draft.value[section];
  const e = editor.errors.value;
  return (
    <div class="table-wrap">
      <table class="table" id={`vocab-${section}`}>
        <thead>
          <tr>
            <th scope="col">{t('vocab.key')}</th>
            <th scope="col">{t('vocab.ja')}</th>
            <th scope="col">{t('vocab.en')}</th>
            {withValues && <th scope="col">{t('vocab.knownValues')}</th>}
            {keyEditable && (
              <th scope="col">
                <span class="sr-only">{t('common.actions')}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i} data-key={row.key}>
              <td>
                {keyEditable ? (
                  <Field label={t('vocab.keyOf', { n: i + 1 })} hideLabel error={e[`${section}.${i}.key`]}>
                    {(a) => (
                      <input
                        {...a}
                        class="mono input-short"
                        value={row.key}
                        onInput={(ev) => editor.update(section, i, { key: ev.currentTarget.value })}
                      />
                    )}
                  </Field>
                ) : (
                  <code>{row.key}</code>
                )}
              </td>
              <td>
                <Field label={t('vocab.jaOf', { key: row.key || String(i + 1) })} hideLabel error={e[`${section}.${i}.ja`]}>
                  {(a) => <input {...a} value={row.ja} onInput={(ev) => editor.update(section, i, { ja: ev.currentTarget.value })} />}
                </Field>
              </td>
              <td>
                <Field label={t('vocab.enOf', { key: row.key || String(i + 1) })} hideLabel error={e[`${section}.${i}.en`]}>
                  {(a) => <input {...a} value={row.en} onInput={(ev) => editor.update(section, i, { en: ev.currentTarget.value })} />}
                </Field>
              </td>
              {withValues && (
                <td>
                  <Values editor={editor} section={section} i={i} row={row} />
                </td>
              )}
              {keyEditable && (
                <td>
                  <button
                    type="button"
                    class="btn btn-icon btn-ghost"
                    aria-label={`${t('common.remove')} ${row.key}`}
                    onClick={() => editor.removeTrait(i)}
                  >
                    ×
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Editor({ editor }: { editor: VocabularyEditor }) {
  useUnsavedGuard(editor.dirty.value);
  const submit = async (ev: Event) => {
    ev.preventDefault();
    if (await editor.save()) announce(t('common.saved'));
  };
  return (
    <form class="stack" onSubmit={submit} noValidate id="vocabulary-form">
      <section class="card">
        <h2>{t('vocab.traits')}</h2>
        <p class="muted">{t('vocab.traitsHelp')}</p>
        {editor.draft.value.traits.length === 0 && <p class="muted">{t('vocab.noTraits')}</p>}
        <Rows editor={editor} section="traits" withValues keyEditable />
        <button type="button" class="btn btn-small" onClick={() => editor.addTrait()}>
          + {t('vocab.addTrait')}
        </button>
      </section>
      <section class="card">
        <h2>{t('vocab.events')}</h2>
        <Rows editor={editor} section="events" withValues={false} keyEditable={false} />
      </section>
      <section class="card">
        <h2>{t('vocab.props')}</h2>
        <p class="muted">{t('vocab.propsHelp')}</p>
        <Rows editor={editor} section="props" withValues keyEditable={false} />
      </section>
      <FormFailure failure={editor.failure.value} />
      <div class="actions sticky-actions">
        <SaveButton saving={editor.saving.value} />
      </div>
    </form>
  );
}

export function VocabularyScreen() {
  const v = vocabulary.value;
  const retry = () => loadVocabulary().catch(() => {});
  useEffect(() => {
    if (!v) void retry();
  }, []);
  // A restore from the change history below starts the editor again from the restored names.
  const [revision, setRevision] = useState(0);
  const editor = useMemo(() => (v ? createVocabularyEditor(v) : null), [Boolean(v), revision]);
  return (
    <section>
      <div class="page-head">
        <h1>{t('vocab.title')}</h1>
      </div>
      <p class="lead">{t('vocab.intro')}</p>
      {editor ? (
        <Editor editor={editor} />
      ) : vocabularyError.value ? (
        <ErrorBox message={errorText(vocabularyError.value)} onRetry={retry} />
      ) : (
        <Loading />
      )}
      {editor && (
        <ChangeHistory entity="vocabulary" entityId="vocabulary" dirty={editor.dirty.value} onRestored={() => setRevision((r) => r + 1)} />
      )}
    </section>
  );
}
export default VocabularyScreen;
