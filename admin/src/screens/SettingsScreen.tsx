/**
 * @module
 * Site settings: the time zone the site's days follow (daily caps, behaviour windows, trends,
 * results by day, segment history) — a Japanese site sets Asia/Tokyo once — and the site's
 * stylesheet the variant preview renders with; with their change history.
 */
import { useEffect, useState } from 'preact/hooks';
import { ErrorBox, Field } from '../components';
import { ChangeHistory } from '../components/ChangeHistory';
import { errorText } from '../lib/errors';
import { lang, t } from '../i18n/catalogue';
import { asFailure } from '../lib/loader';
import { clockIn, createSiteEditor, siteDraftOf, siteSettings, zoneChoices } from '../models/siteModel';
import { announce } from '../models/uiModel';

export function SettingsScreen() {
  const [editor] = useState(() => createSiteEditor(siteDraftOf(siteSettings.value)));
  const load = () => editor.load().catch((err) => (editor.failure.value = asFailure(err)));
  useEffect(() => {
    void load();
  }, []);
  const submit = async (e: Event) => {
    e.preventDefault();
    const saved = await editor.save();
    if (!saved) return;
    announce(t('common.saved'));
    // The console's policy names the stylesheet's origin when the page is served: reload to use it.
    if (saved.reload) location.reload();
  };
  const savedZone = siteSettings.value?.timeZone ?? null;
  const zone = editor.draft.value.timeZone;
  const errors = editor.errors.value;
  return (
    <section class="stack">
      <div>
        <h1>{t('site.title')}</h1>
        <p class="lead">{t('site.intro')}</p>
      </div>
      <form class="card form" onSubmit={submit} noValidate id="site-form">
        <Field label={t('site.timeZone')} error={errors.timeZone} help={t('site.timeZoneHelp')}>
          {(a) => (
            <select
              {...a}
              name="timeZone"
              value={zone}
              disabled={savedZone === null}
              onChange={(e) => editor.update({ timeZone: e.currentTarget.value })}
            >
              {zoneChoices(savedZone).map((z) => (
                <option key={z} value={z}>
                  {z}
                </option>
              ))}
            </select>
          )}
        </Field>
        <p class="muted" data-testid="site-clock">
          {t('site.clock', { time: clockIn(zone, Date.now(), lang.value === 'ja' ? 'ja-JP' : 'en-US') })}
        </p>
        {savedZone !== null && zone !== savedZone && <p class="banner">{t('site.changeNote')}</p>}
        <Field label={t('site.stylesheet')} error={errors.previewStylesheet} help={t('site.stylesheetHelp')}>
          {(a) => (
            <input
              {...a}
              name="previewStylesheet"
              type="url"
              inputMode="url"
              placeholder="https://www.example.co.jp/css/style.css"
              value={editor.draft.value.previewStylesheet}
              onInput={(e) => editor.update({ previewStylesheet: e.currentTarget.value })}
            />
          )}
        </Field>
        {editor.failure.value && <ErrorBox message={errorText(editor.failure.value)} />}
        <div class="actions">
          <button type="submit" class="btn btn-primary" disabled={editor.saving.value || savedZone === null}>
            {editor.saving.value ? t('common.saving') : t('common.save')}
          </button>
        </div>
      </form>
      <ChangeHistory
        entity="site"
        entityId="site"
        onRestored={(change) => {
          // A restored stylesheet changes the console's policy too: reload, as a save does.
          const sheet = (v: unknown) => (v as { previewStylesheet?: string | null } | null)?.previewStylesheet ?? null;
          if (sheet(change.before) !== sheet(change.after)) location.reload();
          else void load();
        }}
      />
    </section>
  );
}
export default SettingsScreen;
