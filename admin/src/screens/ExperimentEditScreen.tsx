/**
 * @module
 * Create an experiment on a (slot, segment), or view/edit one: arms and weights (control on by
 * default), goal, status, and the basic results table (visitors, conversions, CVR per arm).
 */
import { useSignal } from '@preact/signals';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import type { EventType, Experiment } from '@worker/schema/config';
import { Empty, ErrorBox, Field, Loading, StatusActions } from '../components';
import { FormFailure, SaveButton } from '../components/FormActions';
import { ChangeHistory } from '../components/ChangeHistory';
import { EstimateCard } from '../components/EstimateCard';
import { errorText } from '../lib/errors';
import { armName, eventLabel } from '../lib/names';
import { useUnsavedGuard } from '../lib/unsavedGuard';
import { EVENT_TYPES } from '../lib/vocab';
import { experiments, segments, slots, variants } from '../models/configModel';
import {
  createExperimentEditor,
  deleteExperiment,
  loadSummary,
  nextArmKey,
  percentSum,
  type ArmSummary,
  type ExperimentEditor,
} from '../models/experimentsModel';
import { fmt, t } from '../i18n/catalogue';
import { announce, confirmAction } from '../models/uiModel';
import { SegmentOptions, SlotOptions } from '../components/Options';
import { StatusBadge } from '../components/StatusBadge';

function Summary({ experiment }: { experiment: Experiment }) {
  const state = useSignal<{ status: 'loading' | 'ready' | 'error'; arms: ArmSummary[]; error?: string }>({ status: 'loading', arms: [] });
  const load = () => {
    state.value = { ...state.value, status: 'loading' };
    loadSummary(experiment.id)
      .then((arms) => (state.value = { status: 'ready', arms }))
      .catch((err) => (state.value = { status: 'error', arms: [], error: errorText(err) }));
  };
  useEffect(load, [experiment.id, experiment.status]);
  const s = state.value;
  return (
    <section aria-labelledby="results-title">
      <h2 id="results-title">{t('experiments.results')}</h2>
      {s.status === 'loading' && <Loading />}
      {s.status === 'error' && <ErrorBox message={s.error ?? t('common.error')} onRetry={load} />}
      {s.status === 'ready' &&
        (s.arms.every((a) => a.visitors === 0) ? (
          <p class="muted">{t('experiments.noData')}</p>
        ) : (
          <div class="table-wrap">
            <table class="table" id="results-table">
              <thead>
                <tr>
                  <th scope="col">{t('experiments.arm')}</th>
                  <th scope="col" class="num">
                    {t('experiments.visitors')}
                  </th>
                  <th scope="col" class="num">
                    {t('experiments.conversions')}
                  </th>
                  <th scope="col" class="num">
                    {t('experiments.cvr')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {s.arms.map((a) => (
                  <tr key={a.key}>
                    <td>{armName(experiment, a.key)}</td>
                    <td class="num">{fmt.number(a.visitors)}</td>
                    <td class="num">{fmt.number(a.conversions)}</td>
                    <td class="num">{fmt.percent(a.cvr)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </section>
  );
}

function ArmsEditor({ editor, locked }: { editor: ExperimentEditor; locked: boolean }) {
  const d = editor.draft.value;
  const e = editor.errors.value;
  const choices = variants.value.filter((v) => v.slot === d.slot && v.segment === d.segment);
  return (
    <fieldset class="checks" disabled={locked}>
      <legend>{t('experiments.arms')}</legend>
      <label class="check">
        <input type="checkbox" checked={d.includeControl} onChange={(ev) => editor.update({ includeControl: ev.currentTarget.checked })} />{' '}
        {t('experiments.control')}
      </label>
      {e.arms && <p class="field-error">{e.arms}</p>}
      <p class={Math.abs(percentSum(d) - 100) <= 0.5 ? 'muted' : 'field-error'} id="weights-sum" aria-live="polite">
        {t('form.weightsSum', { sum: fmt.number(percentSum(d), 1) })}
      </p>
      <table class="table">
        <thead>
          <tr>
            <th scope="col">{t('experiments.arm')}</th>
            <th scope="col">{t('experiments.variant')}</th>
            <th scope="col">{t('experiments.weight')} (%)</th>
            <th scope="col">
              <span class="sr-only">{t('common.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {d.includeControl && (
            <tr>
              {/* The control's key is fixed: nothing to show or type. */}
              <td class="muted">—</td>
              <td class="muted">{t('experiments.controlArm')}</td>
              <td>
                <Field
                  label={`${t('experiments.controlArm')} ${t('experiments.weight')}`}
                  hideLabel
                  error={e['control.weight'] ?? e.control}
                >
                  {(a) => (
                    <input
                      {...a}
                      type="number"
                      min={0}
                      max={100}
                      class="input-num"
                      value={d.controlPercent}
                      onInput={(ev) => editor.update({ controlPercent: Number(ev.currentTarget.value) })}
                    />
                  )}
                </Field>
              </td>
              <td />
            </tr>
          )}
          {d.arms.map((arm, i) => (
            <tr key={i}>
              <td>
                {/* The arm's key is made for it (nextArmKey); the marketer reads a number, the key is a tooltip. */}
                <span title={arm.key}>{t('experiments.armNumbered', { n: i + 1 })}</span>
                {e[`arms.${i}.key`] && <p class="field-error">{e[`arms.${i}.key`]}</p>}
              </td>
              <td>
                <Field label={`${t('experiments.arms')} ${i + 1} ${t('experiments.variant')}`} hideLabel error={e[`arms.${i}.variant`]}>
                  {(a) => (
                    <select
                      {...a}
                      value={arm.variant ?? ''}
                      onChange={(ev) => editor.updateArm(i, { variant: ev.currentTarget.value || null })}
                    >
                      <option value="">{t('experiments.chooseVariant')}</option>
                      {choices.map((v) => (
                        <option key={v.id} value={v.id}>
                          {v.name || v.id}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
              </td>
              <td>
                <Field label={`${t('experiments.arms')} ${i + 1} ${t('experiments.weight')}`} hideLabel error={e[`arms.${i}.weight`]}>
                  {(a) => (
                    <input
                      {...a}
                      type="number"
                      min={0}
                      max={100}
                      class="input-num"
                      value={arm.percent}
                      onInput={(ev) => editor.updateArm(i, { percent: Number(ev.currentTarget.value) })}
                    />
                  )}
                </Field>
              </td>
              <td>
                <button
                  type="button"
                  class="btn btn-icon btn-ghost"
                  aria-label={`${t('common.remove')} ${t('experiments.arms')} ${i + 1}`}
                  onClick={() => editor.update({ arms: d.arms.filter((_, j) => j !== i) })}
                >
                  ×
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {choices.length === 0 && d.slot && d.segment && <p class="muted">{t('experiments.noVariants')}</p>}
      <button
        type="button"
        class="btn btn-small"
        onClick={() =>
          editor.update({
            arms: [...d.arms, { key: nextArmKey(d.arms), percent: 0, variant: choices[d.arms.length]?.id ?? null }],
          })
        }
      >
        + {t('experiments.addArm')}
      </button>
    </fieldset>
  );
}

export function ExperimentEditScreen() {
  const { params, query } = useRoute();
  const { route } = useLocation();
  const id = params.id;
  const existing = id ? (experiments.value.find((e) => e.id === id) ?? null) : null;
  // A restore from the change history below starts the editor again from the restored version.
  const [revision, setRevision] = useState(0);
  const editor = useMemo(
    () => createExperimentEditor(existing, query.slot ?? slots.value[0]?.key ?? '', query.segment ?? segments.value[0]?.key ?? ''),
    [id, Boolean(existing), revision],
  );
  useUnsavedGuard(editor.dirty.value);
  if (id && !existing) return <Empty action={<a href="/admin/experiments">{t('common.back')}</a>}>{t('common.notFound')}</Empty>;
  const d = editor.draft.value;
  const e = editor.errors.value;
  const locked = existing ? existing.status === 'running' || existing.status === 'stopped' : false;
  const submit = async (ev: Event) => {
    ev.preventDefault();
    const saved = await editor.save();
    if (saved) {
      announce(t('common.saved'));
      if (!existing) route(`/admin/experiments/${saved.id}`, true);
    }
  };
  const fromCell = (patch: { slot?: string; segment?: string }) => {
    const next = { ...d, ...patch };
    const first = variants.value.find((v) => v.slot === next.slot && v.segment === next.segment);
    editor.update({ ...patch, arms: d.arms.map((a, i) => ({ ...a, variant: i === 0 ? (first?.id ?? null) : null })) });
  };
  return (
    <section class="stack">
      <div class="page-head">
        <h1>{existing ? existing.name || existing.id : t('experiments.new')}</h1>
        <a href="/admin/experiments" class="btn btn-ghost">
          {t('common.back')}
        </a>
      </div>
      {existing && (
        <div class="actions-inline">
          <StatusBadge status={existing.status} />
          <StatusActions experiment={existing} />
          {existing.status !== 'draft' && (
            <a class="btn btn-small" href={`/admin/experiments/${existing.id}/results`}>
              {t('experiments.results')} →
            </a>
          )}
        </div>
      )}
      {existing && (existing.status === 'draft' || existing.status === 'paused') && <EstimateCard experiment={existing} />}
      <form class="card form" onSubmit={submit} noValidate id="experiment-form">
        <fieldset class="checks" disabled={locked}>
          <Field label={t('common.name')} error={e.name}>
            {(a) => <input {...a} name="name" value={d.name} onInput={(ev) => editor.update({ name: ev.currentTarget.value })} />}
          </Field>
          <div class="grid-2">
            <Field label={t('experiments.slot')} error={e.slot}>
              {(a) => (
                <select {...a} value={d.slot} disabled={Boolean(existing)} onChange={(ev) => fromCell({ slot: ev.currentTarget.value })}>
                  <SlotOptions />
                </select>
              )}
            </Field>
            <Field label={t('experiments.segment')} error={e.segment}>
              {(a) => (
                <select
                  {...a}
                  value={d.segment}
                  disabled={Boolean(existing)}
                  onChange={(ev) => fromCell({ segment: ev.currentTarget.value })}
                >
                  <SegmentOptions />
                </select>
              )}
            </Field>
            <Field label={t('experiments.goalEvent')} error={e['goal.eventType']}>
              {(a) => (
                <select {...a} value={d.goalEvent} onChange={(ev) => editor.update({ goalEvent: ev.currentTarget.value as EventType })}>
                  {EVENT_TYPES.filter((x) => x !== 'page_view').map((x) => (
                    <option key={x} value={x}>
                      {eventLabel(x)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {d.goalEvent === 'conversion' && (
              <Field label={t('experiments.goalName')} error={e['goal.goal']} help={t('common.keyHelp')}>
                {(a) => (
                  <input {...a} class="mono" value={d.goalName} onInput={(ev) => editor.update({ goalName: ev.currentTarget.value })} />
                )}
              </Field>
            )}
          </div>
        </fieldset>
        <ArmsEditor editor={editor} locked={locked} />
        <FormFailure failure={editor.failure.value} />
        {!locked && (
          <div class="actions">
            <SaveButton saving={editor.saving.value} label={existing ? t('common.save') : t('common.create')} />
          </div>
        )}
      </form>
      {existing && existing.status !== 'draft' && <Summary experiment={existing} />}
      {existing && existing.status !== 'running' && (
        <div class="actions">
          <button
            type="button"
            class="btn btn-danger-ghost"
            onClick={async () => {
              if (!(await confirmAction(t('form.confirmDelete', { name: existing.name || existing.id }), t('common.delete')))) return;
              try {
                await deleteExperiment(existing.id);
                announce(t('form.deleted'));
                route('/admin/experiments');
              } catch (err) {
                announce(errorText(err), 'error');
              }
            }}
          >
            {t('form.deleteDraft')}
          </button>
        </div>
      )}
      {existing && (
        <ChangeHistory entity="experiment" entityId={existing.id} dirty={editor.dirty.value} onRestored={() => setRevision((r) => r + 1)} />
      )}
    </section>
  );
}
export default ExperimentEditScreen;
