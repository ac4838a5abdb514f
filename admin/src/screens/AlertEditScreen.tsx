/**
 * @module
 * Create or edit a sales alert: the trigger (segment entered / tier reached / score reached),
 * the destination (a signed webhook or Slack), the message language and the cooldown. A new
 * alert's signing secret is shown once with the receiver's verification code; "Send test" shows
 * what the receiver answered.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import type { Alert } from '@worker/schema/alerts';
import { Empty, ErrorBox, Field, Loading, SecretPanel } from '../components';
import { FormFailure } from '../components/FormActions';
import { ChangeHistory } from '../components/ChangeHistory';
import { deliveryError } from '../lib/deliveryText';
import { t } from '../i18n/catalogue';
import { errorText } from '../lib/errors';
import { useUnsavedGuard } from '../lib/unsavedGuard';
import { type AlertEditor, alerts, createAlertEditor, deleteAlert, loadAlerts, type TriggerType } from '../models/alertsModel';
import { segments } from '../models/configModel';
import { announce, confirmAction } from '../models/uiModel';
import './alerts.css';
import { SegmentOptions } from '../components/Options';

function TestPanel({ editor }: { editor: AlertEditor }) {
  const saved = editor.current.value;
  const s = editor.test.value;
  return (
    <aside class="card" aria-labelledby="test-title" id="test-panel">
      <h2 id="test-title">{t('al.test')}</h2>
      <p class="muted small">{t('al.testHelp')}</p>
      {!saved ? (
        <p class="muted">{t('al.saveFirst')}</p>
      ) : (
        <button
          type="button"
          class="btn btn-block"
          disabled={s.status === 'sending' || editor.dirty.value}
          onClick={() => editor.sendTest()}
          id="send-test"
        >
          {s.status === 'sending' ? t('al.testing') : t('al.test')}
        </button>
      )}
      {s.status === 'error' && <p class="banner banner-error">{errorText(s.error)}</p>}
      {s.status === 'done' && s.result && (
        <div class="test-result" role="status" id="test-result" data-ok={String(s.result.ok)}>
          <p class={`banner ${s.result.ok ? 'banner-ok' : 'banner-error'}`}>
            {s.result.ok
              ? t('al.testOk', { status: s.result.status ?? '', ms: s.result.durationMs })
              : t('al.testFail', { why: s.result.status !== null ? `HTTP ${s.result.status}` : deliveryError(s.result.error) })}
          </p>
          <h3>{t('al.testAnswer')}</h3>
          <pre class="code code-small" data-testid="test-answer">
            {s.result.responseExcerpt ?? t('al.noAnswer')}
          </pre>
        </div>
      )}
    </aside>
  );
}

function AlertForm({ existing }: { existing: Alert | null }) {
  const { route } = useLocation();
  // A restore from the change history below starts the editor again from the restored version.
  const [revision, setRevision] = useState(0);
  const editor = useMemo(() => createAlertEditor(existing, segments.value[0]?.key ?? ''), [existing?.id, revision]);
  const d = editor.draft.value;
  const e = editor.errors.value;
  useUnsavedGuard(editor.dirty.value);
  const saved = editor.current.value;

  const save = async (ev: Event) => {
    ev.preventDefault();
    const wasNew = !editor.current.value;
    const alert = await editor.save();
    if (!alert) return;
    announce(wasNew ? t('al.created') : t('al.saved'));
    if (wasNew) history.replaceState(null, '', `/admin/alerts/${alert.id}`);
  };
  const remove = async () => {
    if (!saved || !(await confirmAction(t('al.confirmDelete', { name: saved.name }), t('common.delete')))) return;
    await deleteAlert(saved.id);
    announce(t('al.deleted'));
    route('/admin/alerts');
  };
  const rotate = async () => {
    if (!(await confirmAction(t('al.confirmRotate'), t('al.rotate')))) return;
    await editor.rotateSecret().catch((err) => announce(errorText(err), 'error'));
  };
  const setType = (triggerType: TriggerType) => editor.update({ triggerType });

  return (
    <section class="stack">
      <div class="page-head">
        <h1>{saved ? saved.name : t('al.new')}</h1>
        <a href="/admin/alerts" class="btn btn-ghost">
          {t('al.back')}
        </a>
      </div>
      {editor.secret.value && <SecretPanel secret={editor.secret.value} onDone={() => (editor.secret.value = null)} />}
      <div class="split">
        <form class="card form" onSubmit={save} noValidate id="alert-form">
          <Field label={t('al.name')} error={e.name}>
            {(p) => (
              <input
                {...p}
                value={d.name}
                placeholder={t('al.namePlaceholder')}
                onInput={(ev) => editor.update({ name: ev.currentTarget.value })}
                name="name"
              />
            )}
          </Field>
          <fieldset class="checks">
            <legend>{t('al.trigger')}</legend>
            {(['segment_entered', 'tier_reached', 'score_reached'] as const).map((type) => (
              <label key={type} class="check">
                <input type="radio" name="trigger" value={type} checked={d.triggerType === type} onChange={() => setType(type)} />
                {t(`al.trigger.${type}`)}
              </label>
            ))}
          </fieldset>
          <div class="trigger-row">
            {d.triggerType === 'segment_entered' && (
              <Field label={t('al.segment')} error={e['trigger.segment']}>
                {(p) => (
                  <select {...p} value={d.segment} onChange={(ev) => editor.update({ segment: ev.currentTarget.value })} name="segment">
                    <SegmentOptions />
                  </select>
                )}
              </Field>
            )}
            {d.triggerType === 'tier_reached' && (
              <Field label={t('al.tier')} error={e['trigger.tier']}>
                {(p) => (
                  <select
                    {...p}
                    value={d.tier}
                    onChange={(ev) => editor.update({ tier: ev.currentTarget.value as 'hot' | 'warm' })}
                    name="tier"
                  >
                    <option value="hot">{t('tier.hot')}</option>
                    <option value="warm">{t('tier.warm')}</option>
                  </select>
                )}
              </Field>
            )}
            {d.triggerType === 'score_reached' && (
              <Field label={t('al.score')} error={e['trigger.score']}>
                {(p) => (
                  <input
                    {...p}
                    class="input-num"
                    type="number"
                    min={1}
                    value={d.score}
                    onInput={(ev) => editor.update({ score: ev.currentTarget.value })}
                    name="score"
                  />
                )}
              </Field>
            )}
          </div>
          <div class="grid-2">
            <Field label={t('al.format')} error={e['destination.format']}>
              {(p) => (
                <select
                  {...p}
                  value={d.format}
                  onChange={(ev) => editor.update({ format: ev.currentTarget.value as 'standard' | 'slack' })}
                  name="format"
                >
                  <option value="standard">{t('al.format.standard')}</option>
                  <option value="slack">{t('al.format.slack')}</option>
                </select>
              )}
            </Field>
            <Field label={t('al.language')} error={e['destination.language']}>
              {(p) => (
                <select
                  {...p}
                  value={d.language}
                  onChange={(ev) => editor.update({ language: ev.currentTarget.value as 'ja' | 'en' })}
                  name="language"
                >
                  <option value="ja">{t('al.language.ja')}</option>
                  <option value="en">{t('al.language.en')}</option>
                </select>
              )}
            </Field>
          </div>
          <Field
            label={t('al.url')}
            error={e['destination.url']}
            help={t(d.format === 'slack' ? 'al.urlHelp.slack' : 'al.urlHelp.standard')}
          >
            {(p) => (
              <input
                {...p}
                class="mono"
                type="url"
                value={d.url}
                placeholder="https://"
                onInput={(ev) => editor.update({ url: ev.currentTarget.value })}
                name="url"
              />
            )}
          </Field>
          <Field label={t('al.cooldown')} error={e.cooldownDays} help={t('al.cooldownHelp')}>
            {(p) => (
              <input
                {...p}
                class="input-num"
                type="number"
                min={0}
                value={d.cooldownDays}
                onInput={(ev) => editor.update({ cooldownDays: ev.currentTarget.value })}
                name="cooldownDays"
              />
            )}
          </Field>
          <label class="check">
            <input
              type="checkbox"
              checked={d.enabled}
              onChange={(ev) => editor.update({ enabled: ev.currentTarget.checked })}
              name="enabled"
            />
            {t('al.enabled')}
          </label>
          {saved && !saved.enabled && saved.disabledReason === 'gone' && <p class="banner banner-warn">{t('al.offGone')}</p>}
          {d.format === 'slack' && <p class="muted small">{t('al.slackNoSecret')}</p>}
          <FormFailure failure={editor.failure.value} />
          <div class="actions">
            {saved && (
              <>
                {d.format === 'standard' && (
                  <button type="button" class="btn btn-ghost" onClick={rotate} id="rotate-secret">
                    {t('al.rotate')}
                  </button>
                )}
                <button type="button" class="btn btn-danger-ghost" onClick={remove}>
                  {t('common.delete')}
                </button>
              </>
            )}
            <button type="submit" class="btn btn-primary" disabled={editor.saving.value} id="alert-save">
              {editor.saving.value ? t('common.saving') : saved ? t('al.save') : t('al.create')}
            </button>
          </div>
        </form>
        <TestPanel editor={editor} />
      </div>
      {saved && <ChangeHistory entity={null} entityId={saved.id} dirty={editor.dirty.value} onRestored={() => setRevision((r) => r + 1)} />}
    </section>
  );
}

export function AlertEditScreen() {
  const { params } = useRoute();
  const id = params.id;
  useEffect(() => {
    if (id && alerts.value.status === 'idle') loadAlerts().catch(() => {});
  }, [id]);
  if (!id) return <AlertForm existing={null} />;
  const s = alerts.value;
  if (s.status === 'error') return <ErrorBox message={errorText(s.error)} onRetry={() => loadAlerts()} />;
  const existing = s.data?.find((a) => a.id === id);
  if (!existing && s.status !== 'ready') return <Loading />;
  if (!existing) return <Empty action={<a href="/admin/alerts">{t('al.back')}</a>}>{t('common.notFound')}</Empty>;
  return <AlertForm existing={existing} />;
}
export default AlertEditScreen;
