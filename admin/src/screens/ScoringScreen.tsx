/**
 * @module
 * Scoring: the points table, decay and tiers, and the simulator.
 */
import { useState } from 'preact/hooks';
import type { EventType, ScoringRule } from '@worker/schema/config';
import { Badge, Field, FitRulesTable } from '../components';
import { ChangeHistory } from '../components/ChangeHistory';
import { errorText } from '../lib/errors';
import { useUnsavedGuard } from '../lib/unsavedGuard';
import { DIMENSION_PROPS, EVENT_TYPES } from '../lib/vocab';
import { segments } from '../models/configModel';
import { fitRules } from '../models/fitModel';
import { eventLabel, fmt, t } from '../models/langModel';
import {
  addRule,
  errors,
  failure,
  removeRule,
  resetScoringDraft,
  scoringDirty,
  rules,
  saveScoring,
  saving,
  settings,
  simTraits,
  simulate,
  steps,
  parseTraits,
  updateRule,
} from '../models/scoringModel';
import { announce } from '../models/uiModel';

const intOrNaN = (s: string) => (s.trim() === '' ? NaN : Number(s));

function RuleRow({ r, i }: { r: ScoringRule; i: number }) {
  const e = errors.value;
  const p = `rules.${i}`;
  const [prop, value] = Object.entries(r.match ?? {})[0] ?? ['', ''];
  return (
    <tr>
      <td>
        <Field label={t('scoring.ruleId')} hideLabel error={e[`${p}.id`]}>
          {(a) => <input {...a} class="mono input-short" value={r.id} onInput={(ev) => updateRule(i, { id: ev.currentTarget.value })} />}
        </Field>
      </td>
      <td>
        <Field label={t('scoring.event')} hideLabel error={e[`${p}.eventType`]}>
          {(a) => (
            <select {...a} value={r.eventType} onChange={(ev) => updateRule(i, { eventType: ev.currentTarget.value as EventType })}>
              {EVENT_TYPES.map((x) => (
                <option key={x} value={x}>
                  {eventLabel(x)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </td>
      <td>
        <div class="actions-inline">
          <Field label={`${t('scoring.match')} (prop)`} hideLabel>
            {(a) => (
              <select
                {...a}
                value={prop}
                onChange={(ev) => updateRule(i, { match: ev.currentTarget.value ? { [ev.currentTarget.value]: value || '' } : {} })}
              >
                <option value="">{t('cond.anyProp')}</option>
                {DIMENSION_PROPS.map((x) => (
                  <option key={x} value={x}>
                    {x}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {prop && (
            <Field label={`${prop} ${t('cond.whereValue')}`} hideLabel error={e[`${p}.match.${prop}`] ?? e[`${p}.match`]}>
              {(a) => (
                <input
                  {...a}
                  class="input-short"
                  value={value}
                  onInput={(ev) => updateRule(i, { match: { [prop]: ev.currentTarget.value } })}
                />
              )}
            </Field>
          )}
        </div>
      </td>
      <td>
        <Field label={t('scoring.points')} hideLabel error={e[`${p}.points`]}>
          {(a) => (
            <input
              {...a}
              type="number"
              class="input-num"
              value={Number.isNaN(r.points) ? '' : r.points}
              onInput={(ev) => updateRule(i, { points: intOrNaN(ev.currentTarget.value) })}
            />
          )}
        </Field>
      </td>
      <td>
        <Field label={t('scoring.dailyCap')} hideLabel error={e[`${p}.dailyCap`]}>
          {(a) => (
            <input
              {...a}
              type="number"
              class="input-num"
              min={0}
              value={r.dailyCap ?? ''}
              onInput={(ev) => updateRule(i, { dailyCap: ev.currentTarget.value.trim() === '' ? null : intOrNaN(ev.currentTarget.value) })}
            />
          )}
        </Field>
      </td>
      <td>
        <label class="check">
          <input type="checkbox" checked={r.enabled !== false} onChange={(ev) => updateRule(i, { enabled: ev.currentTarget.checked })} />
          <span class="sr-only">{t('common.enabled')}</span>
        </label>
      </td>
      <td>
        <button type="button" class="btn btn-icon btn-ghost" aria-label={`${t('common.remove')} ${r.id}`} onClick={() => removeRule(i)}>
          ×
        </button>
      </td>
    </tr>
  );
}

function Simulator() {
  const now = Date.now();
  const list = steps.value;
  let result: ReturnType<typeof simulate> | null = null;
  let simError = false;
  try {
    result = list.length
      ? simulate(list, parseTraits(simTraits.value), rules.value, settings.value, segments.value, now, fitRules.value)
      : null;
  } catch {
    simError = true;
  }
  const setStep = (i: number, patch: Partial<(typeof list)[number]>) =>
    (steps.value = list.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  return (
    <section class="card" aria-labelledby="sim-title">
      <h2 id="sim-title">{t('scoring.simulator')}</h2>
      <p class="muted">{t('scoring.simIntro')}</p>
      <div class="split">
        <div>
          <ol class="conditions">
            {list.map((s, i) => (
              <li key={i} class="condition-row condition">
                <Field label={t('scoring.event')}>
                  {(a) => (
                    <select {...a} value={s.type} onChange={(e) => setStep(i, { type: e.currentTarget.value as EventType })}>
                      {EVENT_TYPES.map((x) => (
                        <option key={x} value={x}>
                          {eventLabel(x)}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <Field label={t('scoring.simProp')}>
                  {(a) => (
                    <input {...a} class="input-short" value={s.detail} onInput={(e) => setStep(i, { detail: e.currentTarget.value })} />
                  )}
                </Field>
                <Field label={t('scoring.simDaysAgo')}>
                  {(a) => (
                    <input
                      {...a}
                      type="number"
                      min={0}
                      class="input-num"
                      value={s.daysAgo}
                      onInput={(e) => setStep(i, { daysAgo: Number(e.currentTarget.value) || 0 })}
                    />
                  )}
                </Field>
                <span class="muted" data-testid={`sim-points-${i}`}>
                  {result ? t('scoring.simPoints', { points: fmt.number(result.points[i] ?? 0) }) : ''}
                </span>
                <button
                  type="button"
                  class="btn btn-icon btn-ghost condition-remove"
                  aria-label={t('common.remove')}
                  onClick={() => (steps.value = list.filter((_, j) => j !== i))}
                >
                  ×
                </button>
              </li>
            ))}
          </ol>
          <button
            type="button"
            class="btn btn-small"
            onClick={() => (steps.value = [...list, { type: 'page_view', detail: '', daysAgo: 0 }])}
          >
            + {t('scoring.simAddStep')}
          </button>
          <Field label={t('scoring.simTraits')}>
            {(a) => (
              <textarea {...a} rows={3} class="mono" value={simTraits.value} onInput={(e) => (simTraits.value = e.currentTarget.value)} />
            )}
          </Field>
        </div>
        <aside class="card live" aria-live="polite" id="sim-result">
          <h3>{t('scoring.simResult')}</h3>
          {simError && <p class="field-error">{t('common.fixErrors')}</p>}
          {!result && !simError && <p class="muted">{t('scoring.simEmpty')}</p>}
          {result && (
            <dl class="kv">
              <dt>{t('scoring.simScore')}</dt>
              <dd class="big-number" data-testid="sim-score">
                {fmt.number(result.score)}
              </dd>
              <dt>{t('fit.simFit')}</dt>
              <dd data-testid="sim-fit">{fmt.number(result.fit)}</dd>
              <dt>{t('scoring.simTier')}</dt>
              <dd>
                <Badge tone={result.tier}>{t(`tier.${result.tier}`)}</Badge>
              </dd>
              <dt>{t('scoring.simSegment')}</dt>
              <dd data-testid="sim-segment">
                {result.segment ? result.segment.name : <span class="muted">{t('scoring.noSegment')}</span>}
              </dd>
            </dl>
          )}
        </aside>
      </div>
    </section>
  );
}

export function ScoringScreen() {
  // Start from the saved configuration before the first render (no flash of an empty table).
  useState(() => resetScoringDraft());
  useUnsavedGuard(scoringDirty.value);
  const e = errors.value;
  const s = settings.value;
  const submit = async (ev: Event) => {
    ev.preventDefault();
    if (await saveScoring()) announce(t('common.saved'));
  };
  return (
    <section class="stack">
      <div>
        <h1>{t('scoring.title')}</h1>
        <p class="lead">{t('scoring.intro')}</p>
      </div>
      <form onSubmit={submit} noValidate id="scoring-form" class="stack">
        <div class="card">
          <h2>{t('scoring.settings')}</h2>
          <p class="muted small" data-testid="tier-vs-segment">
            {t('glossary.tierVsSegment')}
          </p>
          <div class="actions-inline">
            <Field label={t('scoring.decay')} error={e['settings.decayPerDay']}>
              {(a) => (
                <input
                  {...a}
                  type="number"
                  min={0}
                  class="input-num"
                  value={Number.isNaN(s.decayPerDay) ? '' : s.decayPerDay}
                  onInput={(ev) => (settings.value = { ...s, decayPerDay: intOrNaN(ev.currentTarget.value) })}
                />
              )}
            </Field>
            <Field label={t('scoring.warmAt')} error={e['settings.warmAt']}>
              {(a) => (
                <input
                  {...a}
                  type="number"
                  min={1}
                  class="input-num"
                  value={Number.isNaN(s.warmAt) ? '' : s.warmAt}
                  onInput={(ev) => (settings.value = { ...s, warmAt: intOrNaN(ev.currentTarget.value) })}
                />
              )}
            </Field>
            <Field label={t('scoring.hotAt')} error={e['settings.hotAt']}>
              {(a) => (
                <input
                  {...a}
                  type="number"
                  min={1}
                  class="input-num"
                  value={Number.isNaN(s.hotAt) ? '' : s.hotAt}
                  onInput={(ev) => (settings.value = { ...s, hotAt: intOrNaN(ev.currentTarget.value) })}
                />
              )}
            </Field>
          </div>
        </div>
        <div>
          <h2>{t('scoring.rules')}</h2>
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">{t('scoring.ruleId')}</th>
                  <th scope="col">{t('scoring.event')}</th>
                  <th scope="col">{t('scoring.match')}</th>
                  <th scope="col">{t('scoring.points')}</th>
                  <th scope="col">
                    {t('scoring.dailyCap')} <span class="muted small">({t('scoring.dailyCapHelp')})</span>
                  </th>
                  <th scope="col">{t('common.enabled')}</th>
                  <th scope="col">
                    <span class="sr-only">{t('common.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rules.value.map((r, i) => (
                  <RuleRow key={i} r={r} i={i} />
                ))}
              </tbody>
            </table>
          </div>
          <div class="actions-inline" style="margin-top: .6rem">
            <button type="button" class="btn btn-small" onClick={addRule}>
              + {t('scoring.addRule')}
            </button>
          </div>
        </div>
        <div class="card">
          <FitRulesTable errors={e} />
        </div>
        {failure.value && (
          <p class="banner banner-error" role="alert">
            {errorText(failure.value)}
          </p>
        )}
        <div class="actions">
          <button type="button" class="btn btn-ghost" onClick={resetScoringDraft}>
            {t('common.cancel')}
          </button>
          <button type="submit" class="btn btn-primary" disabled={saving.value}>
            {saving.value ? t('common.saving') : t('common.save')}
          </button>
        </div>
      </form>
      <Simulator />
      <ChangeHistory entity="scoring" entityId="scoring" dirty={scoringDirty.value} onRestored={resetScoringDraft} />
    </section>
  );
}
export default ScoringScreen;
