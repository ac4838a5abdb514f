/**
 * @module
 * Site settings: the time zone the site's days follow (daily caps, behaviour windows, trends,
 * results by day, segment history). A Japanese site sets Asia/Tokyo once.
 */
import { useEffect } from 'preact/hooks';
import { ErrorBox, Field } from '../components';
import { errorText } from '../lib/errors';
import { lang, t } from '../models/langModel';
import { clockIn, loadSite, saveSite, savedZone, siteErrors, siteFailure, siteSaving, zoneChoices, zoneDraft } from '../models/siteModel';
import { announce } from '../models/uiModel';

export function SettingsScreen() {
  useEffect(() => {
    loadSite().catch((err) => (siteFailure.value = err));
  }, []);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (await saveSite()) announce(t('common.saved'));
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
        {siteFailure.value && <ErrorBox message={errorText(siteFailure.value)} />}
        <div class="actions">
          <button type="submit" class="btn btn-primary" disabled={siteSaving.value || savedZone.value === null}>
            {siteSaving.value ? t('common.saving') : t('common.save')}
          </button>
        </div>
      </form>
    </section>
  );
}
export default SettingsScreen;
