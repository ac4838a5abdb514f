/**
 * @module
 * Page categories: URL pattern → category rules, and a URL tester.
 */
import { useState } from 'preact/hooks';
import { Empty, Field } from '../components';
import { FormFailure, SaveButton } from '../components/FormActions';
import { EditRow, EditTable, NumberCell, TextCell } from '../components/EditRow';
import { ChangeHistory } from '../components/ChangeHistory';
import { errorText } from '../lib/errors';
import { useUnsavedGuard } from '../lib/unsavedGuard';
import { categoriesDraftOf, createCategoriesEditor } from '../models/categoriesModel';
import { config } from '../models/configModel';
import { t } from '../i18n/catalogue';
import { announce } from '../models/uiModel';

export function CategoriesScreen() {
  const [editor] = useState(() => createCategoriesEditor(categoriesDraftOf(config.value)));
  const { testUrl, testResult } = editor;
  useUnsavedGuard(editor.dirty.value);
  const e = editor.errors.value;
  const list = editor.draft.value.rules;
  const submit = async (ev: Event) => {
    ev.preventDefault();
    if ((await editor.save()) !== null) announce(t('common.saved'));
  };
  // The category sits inside the sentence where each language puts it.
  const resultText = t('categories.result', { category: '\u0000' }).split('\u0000');
  const test = async (ev: Event) => {
    ev.preventDefault();
    try {
      await editor.runTest();
    } catch (err) {
      announce(errorText(err), 'error');
    }
  };
  return (
    <section class="stack">
      <div>
        <h1>{t('categories.title')}</h1>
        <p class="lead">{t('categories.intro')}</p>
      </div>
      <form onSubmit={submit} noValidate id="categories-form">
        {list.length === 0 ? (
          <Empty>{t('categories.empty')}</Empty>
        ) : (
          <EditTable columns={['ID', t('categories.pattern'), t('categories.category'), t('categories.priority')]}>
            {list.map((r, i) => (
              <EditRow key={i} label={r.id} onRemove={() => editor.remove(i)}>
                <TextCell
                  label="ID"
                  error={e[`rules.${i}.id`]}
                  class="mono input-short"
                  value={r.id}
                  onValue={(id) => editor.updateRule(i, { id })}
                />
                <TextCell
                  label={t('categories.pattern')}
                  error={e[`rules.${i}.pattern`]}
                  class="mono"
                  value={r.pattern}
                  onValue={(pattern) => editor.updateRule(i, { pattern })}
                />
                <TextCell
                  label={t('categories.category')}
                  error={e[`rules.${i}.category`]}
                  class="mono input-short"
                  value={r.category}
                  onValue={(category) => editor.updateRule(i, { category })}
                />
                <NumberCell
                  label={t('categories.priority')}
                  error={e[`rules.${i}.priority`]}
                  value={r.priority}
                  onValue={(priority) => editor.updateRule(i, { priority })}
                />
              </EditRow>
            ))}
          </EditTable>
        )}
        <FormFailure failure={editor.failure.value} />
        <div class="actions">
          <button type="button" class="btn" onClick={editor.add}>
            + {t('categories.add')}
          </button>
          <SaveButton saving={editor.saving.value} />
        </div>
      </form>
      <form class="card" onSubmit={test} aria-labelledby="cat-test">
        <h2 id="cat-test">{t('categories.tester')}</h2>
        <div class="search">
          <Field label={t('categories.testUrl')}>
            {(a) => <input {...a} name="test-url" value={testUrl.value} onInput={(ev) => (testUrl.value = ev.currentTarget.value)} />}
          </Field>
          <button type="submit" class="btn">
            {t('categories.test')}
          </button>
        </div>
        {testResult.value && (
          <p class="banner banner-ok" role="status" id="category-result">
            {testResult.value.category ? (
              <>
                {resultText[0]}
                <code class="strong">{testResult.value.category}</code>
                {resultText[1]}
              </>
            ) : (
              t('categories.noMatch')
            )}
          </p>
        )}
      </form>
      <ChangeHistory entity="categories" entityId="categories" dirty={editor.dirty.value} onRestored={editor.reload} />
    </section>
  );
}
export default CategoriesScreen;
