/**
 * @module
 * One experiment's results for the marketer: what is tested (slot × segment, goal, status), a
 * warning when the visitor split does not match the weights (SRM), whether there is enough data,
 * the arm table (CVR with its 95 % CI as bars on a shared scale, uplift, p-values, chance to
 * beat control, the verdict in words), the cumulative CVR chart, and CSV exports.
 */
import { useSignal } from '@preact/signals';
import { useEffect, useMemo } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import type { Experiment } from '@worker/schema/config';
import { Empty, ErrorBox, Loading } from '../components';
import { CiBar } from '../components/CiBar';
import { CvrChart } from '../components/CvrChart';
import { VerdictBadge } from '../components/VerdictBadge';
import { errorText } from '../lib/errors';
import { createLoader } from '../lib/loader';
import { armName, eventLabel } from '../lib/names';
import { experiments, segmentName, slots } from '../models/configModel';
import { fmt, t } from '../i18n/catalogue';
import {
  armColor,
  ciScaleMax,
  downloadCsv,
  hasNoVisitors,
  loadResults,
  rfmt,
  splitShares,
  type ArmResult,
  type ExperimentResults,
  type ExperimentSeries,
} from '../models/resultsModel';
import { announce } from '../models/uiModel';
import { StatusBadge } from '../components/StatusBadge';

/** "Inquiry form", or "Conversion: signup" for a named goal (the API sends `conversion:signup`). */
function goalText(goal: string): string {
  const [type, name] = goal.split(':');
  return name ? `${eventLabel(type!)}: ${name}` : eventLabel(goal);
}

export function SrmBanner({ results }: { results: Pick<ExperimentResults, 'srm' | 'arms'> }) {
  if (results.srm.ok) return null;
  const shares = splitShares(results.arms);
  const list = (pick: 'expected' | 'actual') => shares.map((s) => `${s.key} ${fmt.percent(s[pick])}`).join(' / ');
  return (
    <div class="banner banner-error srm-banner" role="alert" data-testid="srm-banner">
      <p class="strong">⚠ {t('results.srmTitle')}</p>
      <p>{t('results.srmBody', { expected: list('expected'), actual: list('actual') })}</p>
      <p>{t('results.srmCheck')}</p>
    </div>
  );
}

export function EnoughNote({ results }: { results: ExperimentResults }) {
  const required = results.requiredVisitorsPerArm;
  const planned = Math.max(0, ...results.arms.map((a) => Math.abs(a.uplift?.relative ?? 0))) || 0.2;
  const smallest = Math.min(...results.arms.filter((a) => a.weight > 0).map((a) => a.visitors));
  const traffic = results.visitorsPerDay ? ` ${t('results.traffic', { n: fmt.number(Math.round(results.visitorsPerDay), 0) })}` : '';
  if (required === null) return <p class="banner banner-warn">{t('results.cannotPlan') + traffic}</p>;
  const params = { n: fmt.number(required), uplift: rfmt.magnitude(planned), min: fmt.number(Number.isFinite(smallest) ? smallest : 0) };
  if (results.enoughData)
    return (
      <p class="banner banner-ok" data-testid="enough-note">
        {t('results.enough', params)}
      </p>
    );
  return (
    <div class="banner banner-info" data-testid="enough-note">
      <p>{t('results.notEnough', params) + traffic}</p>
      <progress max={required} value={Math.min(required, Number.isFinite(smallest) ? smallest : 0)} aria-label={t('results.progress')} />
    </div>
  );
}

const CI_WIDTH = 150;

function ArmRow({
  arm,
  arms,
  max,
  control,
  name,
}: {
  arm: ArmResult;
  arms: ArmResult[];
  max: number;
  control: ArmResult | undefined;
  name: string;
}) {
  const totalWeight = arms.reduce((s, a) => s + Math.max(0, a.weight), 0);
  const ciText = `${rfmt.cvr(arm.ci[0])} – ${rfmt.cvr(arm.ci[1])}`;
  return (
    <tr data-arm={arm.key}>
      <th scope="row">
        <span class="swatch" style={{ background: armColor(arms, arm.key) }} aria-hidden="true" />
        <span>{name}</span>
        <div class="muted small">{t('results.weightShare', { share: fmt.percent(totalWeight > 0 ? arm.weight / totalWeight : 0) })}</div>
      </th>
      <td class="num" data-col="visitors">
        {fmt.number(arm.visitors)}
      </td>
      <td class="num" data-col="conversions">
        {fmt.number(arm.conversions)}
      </td>
      <td class="ci-cell">
        {arm.visitors > 0 ? (
          <>
            <div class="cvr-line-text">
              <span class="strong">{rfmt.cvr(arm.cvr)}</span> <span class="muted small">{ciText}</span>
            </div>
            <CiBar
              ci={arm.ci}
              value={arm.cvr}
              domain={[0, max]}
              width={CI_WIDTH}
              marker={control && control.visitors > 0 ? control.cvr : null}
              tone={arm.isControl ? 'control' : 'primary'}
              label={t('results.ciLabel', { arm: name, cvr: rfmt.cvr(arm.cvr), range: ciText })}
            />
          </>
        ) : (
          '—'
        )}
      </td>
      <td class="num">
        {arm.uplift ? (
          <>
            <span class={arm.uplift.relative > 0 ? 'up' : arm.uplift.relative < 0 ? 'down' : ''}>{rfmt.signed(arm.uplift.relative)}</span>
            <div class="muted small">
              {rfmt.signed(arm.uplift.ci[0])} … {rfmt.signed(arm.uplift.ci[1])}
            </div>
          </>
        ) : (
          '—'
        )}
      </td>
      <td class="num">{rfmt.p(arm.pValue)}</td>
      <td class="num">{rfmt.p(arm.alwaysValid?.pValue ?? null)}</td>
      <td class="num">{rfmt.chance(arm.chanceToBeatControl)}</td>
      <td class="verdict-cell">
        {arm.isControl ? (
          <span class="muted small">{t('results.baseline')}</span>
        ) : arm.verdict ? (
          <VerdictBadge verdict={arm.verdict} message={arm.message} />
        ) : (
          '—'
        )}
      </td>
    </tr>
  );
}

export function ArmTable({ results }: { results: ExperimentResults }) {
  const max = ciScaleMax(results.arms);
  const control = results.arms.find((a) => a.isControl);
  const experiment = experiments.value.find((e) => e.id === results.experiment.id);
  return (
    <div class="table-wrap">
      <table class="table results-table" id="results-arms">
        <caption class="table-caption">{t('results.tableCaption', { from: rfmt.cvr(0), to: rfmt.cvr(max) })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('results.arm')}</th>
            <th scope="col" class="num">
              {t('experiments.visitors')}
            </th>
            <th scope="col" class="num">
              {t('experiments.conversions')}
            </th>
            <th scope="col">
              {t('results.cvrCi')}
              <div class="ci-scale" style={{ width: `${CI_WIDTH}px` }} aria-hidden="true">
                <span>{rfmt.cvr(0)}</span>
                <span>{rfmt.cvr(max)}</span>
              </div>
            </th>
            <th scope="col" class="num">
              {t('results.uplift')}
            </th>
            <th scope="col" class="num">
              {t('results.pValue')}
            </th>
            <th scope="col" class="num">
              {t('results.alwaysValidP')}
            </th>
            <th scope="col" class="num">
              {t('results.chance')}
            </th>
            <th scope="col">{t('results.verdict')}</th>
          </tr>
        </thead>
        <tbody>
          {results.arms.map((arm) => (
            <ArmRow
              key={arm.key}
              arm={arm}
              arms={results.arms}
              max={max}
              control={control}
              name={experiment ? armName(experiment, arm.key) : arm.key}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Glossary() {
  return (
    <details class="glossary">
      <summary>{t('results.glossary')}</summary>
      <dl class="kv">
        <dt>{t('results.ci')}</dt>
        <dd>{t('results.glossary.ci')}</dd>
        <dt>{t('results.uplift')}</dt>
        <dd>{t('results.glossary.uplift')}</dd>
        <dt>{t('results.pValue')}</dt>
        <dd>{t('results.glossary.p')}</dd>
        <dt>{t('results.chance')}</dt>
        <dd>{t('results.glossary.chance')}</dd>
        <dt>{t('results.alwaysValidP')}</dt>
        <dd>{t('results.glossary.alwaysValid')}</dd>
        <dt>SRM</dt>
        <dd>{t('results.glossary.srm')}</dd>
      </dl>
    </details>
  );
}

function CsvButtons({ id }: { id: string }) {
  const busy = useSignal<'results' | 'series' | null>(null);
  const go = async (kind: 'results' | 'series') => {
    busy.value = kind;
    try {
      await downloadCsv(id, kind);
      announce(t('results.exported'));
    } catch (err) {
      announce(errorText(err), 'error');
    } finally {
      busy.value = null;
    }
  };
  return (
    // biome-ignore lint/a11y/useSemanticElements: a row of buttons, not a form: a labelled group, not a fieldset
    <div class="actions-inline csv-actions" role="group" aria-label={t('results.export')}>
      <span class="muted small">{t('results.export')}:</span>
      <button type="button" class="btn btn-small" data-csv="results" disabled={busy.value !== null} onClick={() => go('results')}>
        ⤓ {busy.value === 'results' ? t('results.exporting') : t('results.exportArms')}
      </button>
      <button type="button" class="btn btn-small" data-csv="series" disabled={busy.value !== null} onClick={() => go('series')}>
        ⤓ {busy.value === 'series' ? t('results.exporting') : t('results.exportSeries')}
      </button>
    </div>
  );
}

export interface ResultsViewProps {
  results: ExperimentResults;
  series: Pick<ExperimentSeries, 'dates' | 'arms'>;
}

/** Everything below the header, from loaded numbers (rendered as it is in the component tests). */
export function ResultsView({ results, series }: ResultsViewProps) {
  const e = results.experiment;
  if (hasNoVisitors(results)) {
    return (
      <Empty>
        {e.status === 'draft'
          ? t('results.notStarted')
          : t('results.empty', {
              segment: e.segment ? segmentName(e.segment) : '—',
              slot: slots.value.find((s) => s.key === e.slot)?.name || e.slot,
            })}
      </Empty>
    );
  }
  return (
    <>
      <SrmBanner results={results} />
      <EnoughNote results={results} />
      <section aria-labelledby="arms-title">
        <h2 id="arms-title">{t('results.armsTitle')}</h2>
        <ArmTable results={results} />
        <p class="muted small">{t('results.peekSafe')}</p>
        <Glossary />
      </section>
      <section aria-labelledby="chart-title">
        <h2 id="chart-title">{t('results.chartTitle')}</h2>
        <CvrChart
          series={series}
          armLabel={(key) => {
            const experiment = experiments.value.find((x) => x.id === e.id);
            return experiment ? armName(experiment, key) : key;
          }}
        />
        {series.dates.length === 1 && <p class="muted small">{t('results.oneDay')}</p>}
      </section>
      <CsvButtons id={e.id} />
    </>
  );
}

interface HeaderProps {
  id: string;
  experiment: Experiment | null;
  results: ExperimentResults | null;
  onRefresh?: (() => void) | undefined;
  refreshing?: boolean | undefined;
}

function Header({ id, experiment, results, onRefresh, refreshing }: HeaderProps) {
  const meta = results?.experiment;
  const slot = experiment?.slot ?? meta?.slot;
  const segment = experiment?.segment ?? meta?.segment ?? null;
  const status = (experiment?.status ?? meta?.status) as Experiment['status'] | undefined;
  const goal = experiment
    ? experiment.goal.goal
      ? `${experiment.goal.eventType}:${experiment.goal.goal}`
      : experiment.goal.eventType
    : meta?.goal;
  return (
    <>
      <div class="page-head">
        <h1>{t('results.title', { name: experiment?.name || id })}</h1>
        <div class="actions-inline">
          {onRefresh && (
            <button type="button" class="btn btn-small" onClick={onRefresh} disabled={refreshing}>
              ↻ {refreshing ? t('common.loading') : t('results.refresh')}
            </button>
          )}
          <a href={`/admin/experiments/${encodeURIComponent(id)}`} class="btn btn-small btn-ghost">
            {t('results.back')}
          </a>
        </div>
      </div>
      {slot && (
        <dl class="meta-line">
          <div>
            <dt>
              {t('experiments.slot')} × {t('experiments.segment')}
            </dt>
            <dd>
              {slots.value.find((s) => s.key === slot)?.name || slot} × {segment ? segmentName(segment) : '—'}
            </dd>
          </div>
          {goal && (
            <div>
              <dt>{t('experiments.goal')}</dt>
              <dd>{goalText(goal)}</dd>
            </div>
          )}
          {status && (
            <div>
              <dt>{t('common.status')}</dt>
              <dd>
                <StatusBadge status={status} />
                {experiment?.startedAt && (
                  <span class="muted small"> {t('experiments.startedAt', { date: fmt.date(experiment.startedAt) })}</span>
                )}
              </dd>
            </div>
          )}
        </dl>
      )}
    </>
  );
}

export function ResultsScreen() {
  const { params } = useRoute();
  const id = params.id ?? '';
  const loader = useMemo(() => createLoader(() => loadResults(id)), [id]);
  useEffect(() => void loader.load(), [loader]);
  const experiment = experiments.value.find((e) => e.id === id) ?? null;
  const s = loader.state.value;
  return (
    <section class="stack results">
      <Header
        id={id}
        experiment={experiment}
        results={s.data?.results ?? null}
        onRefresh={s.data ? () => void loader.load() : undefined}
        refreshing={s.refreshing}
      />
      {!s.data && s.status !== 'error' && <Loading />}
      {s.status === 'error' && <ErrorBox message={errorText(s.error)} onRetry={() => void loader.load()} />}
      {s.data && <ResultsView results={s.data.results} series={s.data.series} />}
    </section>
  );
}
export default ResultsScreen;
