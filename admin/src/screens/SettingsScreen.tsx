/**
 * @module
 * Site settings: the time zone the site's days follow (daily caps, behaviour windows, trends,
 * results by day, segment history) — a Japanese site sets Asia/Tokyo once — and the site's
 * stylesheet the variant preview renders with; with their change history.
 */
import { useEffect } from 'preact/hooks';
import { ErrorBox, Field } from '../components';
import { ChangeHistory } from '../components/ChangeHistory';
import { errorText } from '../lib/errors';
import { lang, t } from '../models/langModel';
import {
  clockIn,
  loadSite,
  saveSite,
  savedZone,
  siteErrors,
  siteFailure,
  siteSaving,
  stylesheetDraft,
  zoneChoices,
  zoneDraft,
} from '../models/siteModel';
import { announce } from '../models/uiModel';

export function SettingsScreen() {
  useEffect(() => {
    loadSite().catch((err) => (siteFailure.value = err));
  }, []);
  const submit = async (e: Event) => {
    e.preventDefault();
    const saved = await saveSite();
    if (!saved) return;
    announce(t('common.saved'));
    // The console's policy names the stylesheet's origin when the page is served: reload to use it.
    if (saved.reload) location.reload();
  };
  const zone = zoneDraft.value;
  return (
    <section class="stack">
      <div>
        <h1>{t('site.title')}</h1>
        <p class="lead">{t('site.intro')}</p>
      </div>
      <form class="card form" onSubmit={submit} noValidate id="site-form">
        <Field label={t('site.timeZone')} error={siteErrors.value.timeZone} help={t('site.timeZoneHelp')}>
          {(a) => (
            <select
              {...a}
              name="timeZone"
              value={zone}
              disabled={savedZone.value === null}
              onChange={(e) => (zoneDraft.value = e.currentTarget.value)}
            >
              {zoneChoices(savedZone.value).map((z) => (
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
        {savedZone.value !== null && zone !== savedZone.value && <p class="banner">{t('site.changeNote')}</p>}
        <Field label={t('site.stylesheet')} error={siteErrors.value.previewStylesheet} help={t('site.stylesheetHelp')}>
          {(a) => (
            <input
              {...a}
              name="previewStylesheet"
              type="url"
              inputMode="url"
              placeholder="https://www.example.co.jp/css/style.css"
              value={stylesheetDraft.value}
              onInput={(e) => (stylesheetDraft.value = e.currentTarget.value)}
            />
          )}
        </Field>
        {siteFailure.value && <ErrorBox message={errorText(siteFailure.value)} />}
        <div class="actions">
          <button type="submit" class="btn btn-primary" disabled={siteSaving.value || savedZone.value === null}>
            {siteSaving.value ? t('common.saving') : t('common.save')}
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
          else loadSite().catch((err) => (siteFailure.value = err));
        }}
      />
    </section>
  );
}
export default SettingsScreen;
