/**
 * @module
 * Scoring: the points table, decay and tiers, and the simulator.
 */
import { useState } from 'preact/hooks';
import type { EventType, ScoringRule } from '@worker/schema/config';
import { Badge, Field, FitRulesTable } from '../components';
import { FormFailure, SaveButton } from '../components/FormActions';
import { Cell, EditRow, EditTable, NumberCell, NumberField, TextCell } from '../components/EditRow';
import { ChangeHistory } from '../components/ChangeHistory';
import { useUnsavedGuard } from '../lib/unsavedGuard';
import { DIMENSION_PROPS } from '../lib/vocab';
import { config, segments } from '../models/configModel';
import { fmt, t } from '../i18n/catalogue';
import { createScoringEditor, parseTraits, type ScoringEditor, scoringDraftOf, simulate } from '../models/scoringModel';
import { announce } from '../models/uiModel';
import { EventOptions } from '../components/Options';

function RuleRow({ editor, r, i }: { editor: ScoringEditor; r: ScoringRule; i: number }) {
  const e = editor.errors.value;
  const { updateRule, removeRule } = editor;
  const p = `rules.${i}`;
  const [prop, value] = Object.entries(r.match ?? {})[0] ?? ['', ''];
  return (
    <EditRow label={r.id} enabled={r.enabled} onEnabled={(enabled) => updateRule(i, { enabled })} onRemove={() => removeRule(i)}>
      <TextCell
        label={t('scoring.ruleId')}
        error={e[`${p}.id`]}
        class="mono input-short"
        value={r.id}
        onValue={(id) => updateRule(i, { id })}
      />
      <Cell label={t('scoring.event')} error={e[`${p}.eventType`]}>
        {(a) => (
          <select {...a} value={r.eventType} onChange={(ev) => updateRule(i, { eventType: ev.currentTarget.value as EventType })}>
            <EventOptions />
          </select>
        )}
      </Cell>
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
      <NumberCell label={t('scoring.points')} error={e[`${p}.points`]} value={r.points} onValue={(points) => updateRule(i, { points })} />
      <NumberCell
        label={t('scoring.dailyCap')}
        error={e[`${p}.dailyCap`]}
        min={0}
        empty="null"
        value={r.dailyCap ?? null}
        onValue={(dailyCap) => updateRule(i, { dailyCap })}
      />
    </EditRow>
  );
}

function Simulator({ editor }: { editor: ScoringEditor }) {
  const now = Date.now();
  const { steps, simTraits } = editor;
  const { rules, settings, fit } = editor.draft.value;
  const list = steps.value;
  let result: ReturnType<typeof simulate> | null = null;
  let simError = false;
  try {
    result = list.length ? simulate(list, parseTraits(simTraits.value), rules, settings, segments.value, now, fit) : null;
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
                      <EventOptions />
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
  const [editor] = useState(() => createScoringEditor(scoringDraftOf(config.value)));
  useUnsavedGuard(editor.dirty.value);
  const e = editor.errors.value;
  const s = editor.draft.value.settings;
  const submit = async (ev: Event) => {
    ev.preventDefault();
    if ((await editor.save()) !== null) announce(t('common.saved'));
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
            <NumberField
              label={t('scoring.decay')}
              error={e['settings.decayPerDay']}
              min={0}
              value={s.decayPerDay}
              onValue={(decayPerDay) => editor.setSettings({ decayPerDay })}
            />
            <NumberField
              label={t('scoring.warmAt')}
              error={e['settings.warmAt']}
              min={1}
              value={s.warmAt}
              onValue={(warmAt) => editor.setSettings({ warmAt })}
            />
            <NumberField
              label={t('scoring.hotAt')}
              error={e['settings.hotAt']}
              min={1}
              value={s.hotAt}
              onValue={(hotAt) => editor.setSettings({ hotAt })}
            />
          </div>
        </div>
        <div>
          <h2>{t('scoring.rules')}</h2>
          <EditTable
            switches
            columns={[
              t('scoring.ruleId'),
              t('scoring.event'),
              t('scoring.match'),
              t('scoring.points'),
              <>
                {t('scoring.dailyCap')} <span class="muted small">({t('scoring.dailyCapHelp')})</span>
              </>,
            ]}
          >
            {editor.draft.value.rules.map((r, i) => (
              <RuleRow key={i} editor={editor} r={r} i={i} />
            ))}
          </EditTable>
          <div class="actions-inline" style="margin-top: .6rem">
            <button type="button" class="btn btn-small" onClick={editor.addRule}>
              + {t('scoring.addRule')}
            </button>
          </div>
        </div>
        <div class="card">
          <FitRulesTable editor={editor} />
        </div>
        <FormFailure failure={editor.failure.value} />
        <div class="actions">
          <button type="button" class="btn btn-ghost" onClick={editor.reload}>
            {t('common.cancel')}
          </button>
          <SaveButton saving={editor.saving.value} />
        </div>
      </form>
      <Simulator editor={editor} />
      <ChangeHistory entity="scoring" entityId="scoring" dirty={editor.dirty.value} onRestored={editor.reload} />
    </section>
  );
}
export default ScoringScreen;
