/**
 * @module
 * Preview any page that embeds the snippet as a chosen segment (and arm), writing nothing: in a
 * new tab, and in a frame below the form at the console's width or a phone's (375 px).
 */
import { Field } from '../components';
import { errorText } from '../lib/errors';
import { armName } from '../lib/names';
import { segments } from '../models/configModel';
import { fmt, t } from '../models/langModel';
import {
  chosenArm,
  createPreviewLink,
  experimentsFor,
  frameSandbox,
  previewArms,
  previewDevice,
  previewErrors,
  previewFailure,
  previewLink,
  previewSegment,
  previewUrl,
} from '../models/previewModel';

export function PreviewScreen() {
  const errors = previewErrors.value;
  const exps = experimentsFor(previewSegment.value);
  const submit = async (e: Event) => {
    e.preventDefault();
    const url = await createPreviewLink();
    if (url) window.open(url, '_blank', 'noopener');
  };
  return (
    <section>
      <h1>{t('preview.title')}</h1>
      <p class="lead">{t('preview.intro')}</p>
      <form class="card form" onSubmit={submit} noValidate id="preview-form">
        <div class="grid-2">
          <Field label={t('preview.segment')} error={errors.segment}>
            {(a) => (
              <select
                {...a}
                name="segment"
                value={previewSegment.value ?? ''}
                onChange={(e) => (previewSegment.value = e.currentTarget.value || null)}
              >
                <option value="">{t('preview.noSegment')}</option>
                {segments.value.map((s) => (
                  <option key={s.key} value={s.key}>
                    {s.name || s.key}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('preview.url')} error={errors.url}>
            {(a) => (
              <input {...a} name="url" type="url" value={previewUrl.value} onInput={(e) => (previewUrl.value = e.currentTarget.value)} />
            )}
          </Field>
        </div>
        {exps.map((exp) => (
          <Field key={exp.id} label={t('preview.arm', { name: exp.name || exp.id })} error={errors[`arms.${exp.id}`]}>
            {(a) => (
              <select
                {...a}
                name={`arm-${exp.id}`}
                value={chosenArm(exp)}
                onChange={(e) => (previewArms.value = { ...previewArms.value, [exp.id]: e.currentTarget.value })}
              >
                <option value="">{t('preview.autoArm')}</option>
                {exp.arms.map((arm) => (
                  <option key={arm.key} value={arm.key}>
                    {armName(exp, arm.key)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ))}
        {previewFailure.value && !Object.keys(errors).length && (
          <p class="banner banner-error" role="alert">
            {errorText(previewFailure.value)}
          </p>
        )}
        <div class="actions">
          <button type="submit" class="btn btn-primary">
            {t('preview.open')}
          </button>
        </div>
        {previewLink.value && (
          <div class="banner banner-ok" data-testid="preview-link-box">
            <strong>{t('preview.link')}</strong> <span class="muted small">{fmt.dateTime(previewLink.value.expiresAt)}</span>
            <div>
              <a
                id="preview-link"
                href={previewLink.value.url}
                target="_blank"
                rel="noopener"
                class="mono small"
                style="word-break: break-all"
              >
                {previewLink.value.url}
              </a>
            </div>
          </div>
        )}
      </form>
      {previewLink.value && (
        <div class="card preview-stage" data-testid="preview-stage">
          <div class="preview-stage-head">
            <h2>{t('preview.frame')}</h2>
            <fieldset class="segmented">
              <legend class="sr-only">{t('preview.frame')}</legend>
              {(['desktop', 'phone'] as const).map((d) => (
                <button
                  key={d}
                  type="button"
                  class={`btn btn-small${previewDevice.value === d ? ' is-active' : ''}`}
                  aria-pressed={previewDevice.value === d}
                  data-device={d}
                  onClick={() => (previewDevice.value = d)}
                >
                  {t(d === 'phone' ? 'preview.phone' : 'preview.desktop')}
                </button>
              ))}
            </fieldset>
          </div>
          <p class="muted small">{t('preview.frameHelp')}</p>
          <iframe
            key={previewLink.value.url}
            class={`preview-page preview-page-${previewDevice.value}`}
            title={t('preview.frame')}
            src={previewLink.value.url}
            sandbox={frameSandbox(previewLink.value.url, location.origin)}
            referrerpolicy="no-referrer"
          />
        </div>
      )}
    </section>
  );
}
export default PreviewScreen;
