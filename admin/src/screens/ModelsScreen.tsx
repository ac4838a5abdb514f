/**
 * @module
 * Propensity models: train one (outcome, window, regularization), then read how it did on the
 * later holdout — AUC and top-decile lift with their intervals and a plain verdict — what it
 * looks at (its weights, in words), and who is most likely now with the three factors behind
 * each. "Likelihood ≥ p" is then a condition in the rule builder.
 */
import { useEffect, useState } from 'preact/hooks';
import { describeFactor, describeFeature } from '@worker/core/propensity/describe';
import type { PropensityModel } from '@worker/schema/propensity';
import { Badge, Field } from '../components';
import { FormFailure, SaveButton } from '../components/FormActions';
import { ChangeHistory } from '../components/ChangeHistory';
import { config } from '../models/configModel';
import { fmt, lang, t } from '../i18n/catalogue';
import { eventLabel } from '../lib/names';
import { createRanking, createTrainer } from '../models/propensityModel';
import { announce } from '../models/uiModel';
import { EventOptions } from '../components/Options';

const num = (s: string) => (s.trim() === '' ? NaN : Number(s));
const round = (x: number, d = 3) => fmt.number(x, d);

function VerdictLine({ m }: { m: PropensityModel }) {
  const v = m.verdict;
  if (v.status === 'usable') return <Badge tone="ok">{t('models.usable')}</Badge>;
  if (v.status === 'not_enough_data') return <Badge tone="warm">{t('models.notEnough', { positives: v.positives, need: v.need })}</Badge>;
  return <Badge tone="warm">{t('models.noSignal')}</Badge>;
}

function ModelCard({ m }: { m: PropensityModel }) {
  const a = m.metrics.auc;
  const l = m.metrics.lift;
  const weights = m.features
    .map((f, j) => ({ f, w: m.coefficients.weights[j] ?? 0 }))
    .filter((x) => Math.abs(x.w) > 1e-3)
    .sort((x, y) => Math.abs(y.w) - Math.abs(x.w))
    .slice(0, 10);
  const [ranking] = useState(() => createRanking(m.key));
  const top = ranking.state.value.data;
  useEffect(() => {
    void ranking.load();
  }, [m.trainedAt]);
  return (
    <article class="card" data-model={m.key}>
      <h2>
        {m.name} <span class="muted mono small">{m.key}</span>
      </h2>
      <p>
        {eventLabel(m.outcome.event)} · {t('models.days')}: {m.outcome.days} <VerdictLine m={m} />
      </p>
      <div class="stat-row">
        <div class="stat" title={t('models.aucHelp')}>
          <div class="label">{t('models.auc')}</div>
          <div class="value" data-testid="model-auc">
            {a ? round(a.auc) : '—'}
          </div>
          {a && <div class="small muted">{t('models.interval', { lo: round(a.ci[0]), hi: round(a.ci[1]) })}</div>}
        </div>
        <div class="stat" title={t('models.liftHelp')}>
          <div class="label">{t('models.lift')}</div>
          <div class="value" data-testid="model-lift">
            {l ? round(l.lift, 2) : '—'}
          </div>
          {l && <div class="small muted">{t('models.interval', { lo: round(l.ci[0], 2), hi: round(l.ci[1], 2) })}</div>}
        </div>
      </div>
      <p class="small muted" data-testid="model-holdout">
        {t('models.holdout', {
          rows: fmt.number(m.metrics.holdout.rows),
          cutoff: fmt.date(m.metrics.holdout.cutoff),
          positives: fmt.number(m.metrics.holdout.positives),
          trainRows: fmt.number(m.metrics.train.rows),
          trainPositives: fmt.number(m.metrics.train.positives),
        })}
      </p>
      <div class="split">
        <div>
          <h3>{t('models.weights')}</h3>
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{t('models.weights')}</th>
                <th scope="col" class="num">
                  {t('models.weight')}
                </th>
              </tr>
            </thead>
            <tbody>
              {weights.map(({ f, w }) => (
                <tr key={describeFeature(f, 'en')}>
                  <td>{describeFeature(f, lang.value)}</td>
                  <td class="num">{`${w > 0 ? '+' : ''}${round(w, 2)}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div>
          <h3>{t('models.top')}</h3>
          {top && (
            <ol class="stack-sm" data-testid="model-top">
              {top.map((r) => (
                <li key={r.memberId}>
                  <a class="mono" href={`/admin/members/${encodeURIComponent(r.memberId)}`}>
                    {r.memberId}
                  </a>{' '}
                  <strong>{fmt.percent(r.probability)}</strong>
                  <ul class="small muted">
                    {r.factors.map((f, i) => (
                      <li key={i}>{describeFactor(f, lang.value)}</li>
                    ))}
                  </ul>
                </li>
              ))}
            </ol>
          )}
        </div>
      </div>
      {/* Keyed by the training time: a retraining starts the history again (it lists the new entry). */}
      <ChangeHistory key={m.trainedAt} entity="model" entityId={m.key} />
    </article>
  );
}

export function ModelsScreen() {
  const [trainer] = useState(() => createTrainer());
  const d = trainer.draft.value;
  const e = trainer.errors.value;
  const opened = trainer.opened;
  const models = config.value?.models ?? [];
  const submit = async (ev: Event) => {
    ev.preventDefault();
    if (await trainer.save()) announce(t('common.saved'));
  };
  const set = (patch: Partial<typeof d>) => trainer.update(patch);
  return (
    <section class="stack">
      <div>
        <h1>{t('models.title')}</h1>
        <p class="lead">{t('models.intro')}</p>
      </div>
      <form class="card form" onSubmit={submit} noValidate id="train-form">
        <h2>{t('models.train')}</h2>
        <div class="grid-2">
          <Field label={t('common.name')} error={e.name}>
            {(a) => <input {...a} name="name" value={d.name} onInput={(x) => set({ name: x.currentTarget.value })} />}
          </Field>
          <Field label={t('common.key')} error={e.key}>
            {(a) => <input {...a} name="key" class="mono" value={d.key} onInput={(x) => set({ key: x.currentTarget.value })} />}
          </Field>
        </div>
        <div class="actions-inline">
          <Field label={t('models.outcome')} error={e.event}>
            {(a) => (
              <select {...a} name="event" value={d.event} onChange={(x) => set({ event: x.currentTarget.value as typeof d.event })}>
                <EventOptions />
              </select>
            )}
          </Field>
          <Field label={t('models.days')} error={e.days} help={t('models.daysHelp')}>
            {(a) => (
              <input
                {...a}
                name="days"
                type="number"
                class="input-num"
                min={7}
                max={90}
                value={Number.isNaN(d.days) ? '' : d.days}
                onInput={(x) => set({ days: num(x.currentTarget.value) })}
              />
            )}
          </Field>
          <Field label={t('models.l2')} error={e.l2} help={t('models.l2Help')}>
            {(a) => (
              <input
                {...a}
                name="l2"
                type="number"
                class="input-num"
                step="0.1"
                value={Number.isNaN(d.l2) ? '' : d.l2}
                onInput={(x) => set({ l2: num(x.currentTarget.value) })}
              />
            )}
          </Field>
        </div>
        <FormFailure failure={trainer.failure.value} />
        <div class="actions">
          <SaveButton saving={trainer.saving.value} label={t('models.train')} busyLabel={t('models.training')} />
        </div>
      </form>
      {models.length === 0 && <p class="muted">{t('models.none')}</p>}
      {[...models]
        .sort((a, b) => (a.key === opened.value ? -1 : b.key === opened.value ? 1 : a.key < b.key ? -1 : 1))
        .map((m) => (
          <ModelCard key={m.key} m={m} />
        ))}
    </section>
  );
}
export default ModelsScreen;
