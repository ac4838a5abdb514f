/**
 * @module
 * Preview any page that embeds the snippet as a chosen segment (and arm), writing nothing: in a
 * new tab, and in a frame below the form at the console's width or a phone's (375 px).
 */
import { useState } from 'preact/hooks';
import { Field } from '../components';
import { errorText } from '../lib/errors';
import { armName } from '../lib/names';
import { fmt, t } from '../i18n/catalogue';
import { createPreview, experimentsFor, firstPreview, frameSandbox } from '../models/previewModel';
import { SegmentOptions } from '../components/Options';

export function PreviewScreen() {
  const [preview] = useState(() => createPreview(firstPreview()));
  const { link, device } = preview;
  const d = preview.draft.value;
  const errors = preview.errors.value;
  const exps = experimentsFor(d.segment);
  const submit = async (e: Event) => {
    e.preventDefault();
    const url = await preview.save();
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
                value={d.segment ?? ''}
                onChange={(e) => preview.update({ segment: e.currentTarget.value || null })}
              >
                <option value="">{t('preview.noSegment')}</option>
                <SegmentOptions />
              </select>
            )}
          </Field>
          <Field label={t('preview.url')} error={errors.url}>
            {(a) => <input {...a} name="url" type="url" value={d.url} onInput={(e) => preview.update({ url: e.currentTarget.value })} />}
          </Field>
        </div>
        {exps.map((exp) => (
          <Field key={exp.id} label={t('preview.arm', { name: exp.name || exp.id })} error={errors[`arms.${exp.id}`]}>
            {(a) => (
              <select
                {...a}
                name={`arm-${exp.id}`}
                value={preview.armOf(exp)}
                onChange={(e) => preview.chooseArm(exp.id, e.currentTarget.value)}
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
        {preview.failure.value && !Object.keys(errors).length && (
          <p class="banner banner-error" role="alert">
            {errorText(preview.failure.value)}
          </p>
        )}
        <div class="actions">
          <button type="submit" class="btn btn-primary">
            {t('preview.open')}
          </button>
        </div>
        {link.value && (
          <div class="banner banner-ok" data-testid="preview-link-box">
            <strong>{t('preview.link')}</strong> <span class="muted small">{fmt.dateTime(link.value.expiresAt)}</span>
            <div>
              <a id="preview-link" href={link.value.url} target="_blank" rel="noopener" class="mono small" style="word-break: break-all">
                {link.value.url}
              </a>
            </div>
          </div>
        )}
      </form>
      {link.value && (
        <div class="card preview-stage" data-testid="preview-stage">
          <div class="preview-stage-head">
            <h2>{t('preview.frame')}</h2>
            <fieldset class="segmented">
              <legend class="sr-only">{t('preview.frame')}</legend>
              {(['desktop', 'phone'] as const).map((d) => (
                <button
                  key={d}
                  type="button"
                  class={`btn btn-small${device.value === d ? ' is-active' : ''}`}
                  aria-pressed={device.value === d}
                  data-device={d}
                  onClick={() => (device.value = d)}
                >
                  {t(d === 'phone' ? 'preview.phone' : 'preview.desktop')}
                </button>
              ))}
            </fieldset>
          </div>
          <p class="muted small">{t('preview.frameHelp')}</p>
          <iframe
            key={link.value.url}
            class={`preview-page preview-page-${device.value}`}
            title={t('preview.frame')}
            src={link.value.url}
            sandbox={frameSandbox(link.value.url, location.origin)}
            referrerpolicy="no-referrer"
          />
        </div>
      )}
    </section>
  );
}
export default PreviewScreen;
