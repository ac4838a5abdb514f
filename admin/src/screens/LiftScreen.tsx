/**
 * @module
 * Personalization lift: do visitors who see their segment's content convert more than those
 * shown the generic page (each experiment's control arm)? Overall, per segment and per
 * experiment, each in plain words that say "not enough data yet" while the 95 % CI spans 0.
 */
import { useSignal } from '@preact/signals';
import { useEffect, useMemo } from 'preact/hooks';
import { Empty, ErrorBox, Loading } from '../components';
import { CiBar } from '../components/CiBar';
import { errorText } from '../lib/errors';
import { createLoader } from '../lib/loader';
import { segmentName } from '../models/configModel';
import { fmt, t } from '../i18n/catalogue';
import { eventLabel } from '../lib/names';
import {
  liftReading,
  liftScale,
  liftSentence,
  loadLiftReport,
  rfmt,
  type LiftComparison,
  type LiftReport,
  type LiftScope,
  type LiftSide,
} from '../models/resultsModel';

const readingTone = { better: 'ok', worse: 'hot', unclear: 'muted', no_visitors: 'muted', no_control_conversions: 'muted' } as const;

function Side({ side }: { side: LiftSide }) {
  return (
    <>
      <span class="strong">{side.visitors > 0 ? rfmt.cvr(side.cvr) : '—'}</span>
      <div class="muted small">{t('lift.counts', { conversions: fmt.number(side.conversions), visitors: fmt.number(side.visitors) })}</div>
    </>
  );
}

function Lift({ c, scale }: { c: LiftComparison; scale: number }) {
  if (!c.lift) return <span class="muted">—</span>;
  const range = `${rfmt.signed(c.lift.ci[0], 0)} … ${rfmt.signed(c.lift.ci[1], 0)}`;
  const tone = readingTone[liftReading(c)];
  return (
    <>
      <span class={`strong lift-${tone}`}>{rfmt.signed(c.lift.relative, 0)}</span>
      <CiBar
        ci={c.lift.ci}
        value={c.lift.relative}
        domain={[-scale, scale]}
        marker={0}
        tone={tone}
        label={t('lift.ciLabel', { lift: rfmt.signed(c.lift.relative, 0), range })}
      />
      <div class="muted small">{range}</div>
    </>
  );
}

function Sentence({ c }: { c: LiftComparison }) {
  return <p class={`lift-sentence lift-${readingTone[liftReading(c)]}`}>{liftSentence(c)}</p>;
}

export function Overall({ report, scale }: { report: LiftReport; scale: number }) {
  const o = report.overall;
  return (
    <section class="card lift-overall" aria-labelledby="lift-overall-title" data-testid="lift-overall">
      <h2 id="lift-overall-title">{t('lift.overall')}</h2>
      <p class="muted small">{t('lift.overallSub', { n: o.experiments.length })}</p>
      <Sentence c={o} />
      <div class="stat-row">
        <div class="stat">
          <div class="label">{t('lift.personalized')}</div>
          <div class="value">
            <Side side={o.personalized} />
          </div>
        </div>
        <div class="stat">
          <div class="label">{t('lift.control')}</div>
          <div class="value">
            <Side side={o.control} />
          </div>
        </div>
        <div class="stat">
          <div class="label">{t('lift.lift')}</div>
          <div class="value">
            <Lift c={o} scale={scale} />
          </div>
        </div>
        <div class="stat">
          <div class="label">{t('lift.chance')}</div>
          <div class="value">{rfmt.chance(o.chanceToBeatControl)}</div>
          <div class="muted small">p = {rfmt.p(o.pValue)}</div>
        </div>
      </div>
    </section>
  );
}

function ComparisonCells({ c, scale }: { c: LiftComparison; scale: number }) {
  return (
    <>
      <td class="num">
        <Side side={c.personalized} />
      </td>
      <td class="num">
        <Side side={c.control} />
      </td>
      <td class="ci-cell">
        <Lift c={c} scale={scale} />
      </td>
      <td class="lift-words">
        <Sentence c={c} />
      </td>
    </>
  );
}

function ComparisonHead() {
  return (
    <>
      <th scope="col" class="num">
        {t('lift.personalized')}
      </th>
      <th scope="col" class="num">
        {t('lift.control')}
      </th>
      <th scope="col">{t('lift.lift')}</th>
      <th scope="col">{t('lift.reading')}</th>
    </>
  );
}

/** The report below the scope switch (rendered as it is in the component tests). */
export function LiftView({ report }: { report: LiftReport }) {
  if (report.overall.experiments.length === 0) {
    return (
      <Empty action={<a href="/admin/experiments">{t('nav.experiments')}</a>}>
        {report.status === 'all' ? t('lift.emptyAll') : t('lift.emptyRunning')}
      </Empty>
    );
  }
  const scale = liftScale([report.overall, ...report.segments, ...report.experiments]);
  return (
    <>
      <Overall report={report} scale={scale} />
      <section aria-labelledby="lift-segments-title">
        <h2 id="lift-segments-title">{t('lift.bySegment')}</h2>
        <div class="table-wrap">
          <table class="table lift-table" id="lift-segments">
            <thead>
              <tr>
                <th scope="col">{t('experiments.segment')}</th>
                <ComparisonHead />
              </tr>
            </thead>
            <tbody>
              {report.segments.map((s) => (
                <tr key={s.segment} data-segment={s.segment}>
                  <th scope="row">
                    {s.name}
                    <div class="muted small">{t('lift.experimentCount', { n: s.experiments.length })}</div>
                  </th>
                  <ComparisonCells c={s} scale={scale} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section aria-labelledby="lift-experiments-title">
        <h2 id="lift-experiments-title">{t('lift.byExperiment')}</h2>
        <div class="table-wrap">
          <table class="table lift-table" id="lift-experiments">
            <thead>
              <tr>
                <th scope="col">{t('nav.experiments')}</th>
                <ComparisonHead />
              </tr>
            </thead>
            <tbody>
              {report.experiments.map((e) => {
                const [type, name] = e.goal.split(':');
                return (
                  <tr key={e.id} data-experiment={e.id}>
                    <th scope="row">
                      <a href={`/admin/experiments/${encodeURIComponent(e.id)}/results`}>{e.name || e.id}</a>
                      <div class="muted small">
                        <span class="mono">{e.slot}</span> × {segmentName(e.segment)} ·{' '}
                        {name ? `${eventLabel(type!)}: ${name}` : eventLabel(e.goal)}
                      </div>
                    </th>
                    <ComparisonCells c={e} scale={scale} />
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>
      <details class="glossary">
        <summary>{t('lift.howTitle')}</summary>
        <ul class="caveats">
          <li>{t('lift.how')}</li>
          <li>{t('lift.caveatGoals')}</li>
          <li>{t('lift.caveatPooling')}</li>
          <li>{t('lift.caveatPeeking')}</li>
        </ul>
      </details>
    </>
  );
}

export function LiftScreen() {
  const scope = useSignal<LiftScope>('running');
  const loader = useMemo(() => createLoader(() => loadLiftReport(scope.peek())), []);
  useEffect(() => void loader.load(), [loader, scope.value]);
  const s = loader.state.value;
  return (
    <section class="stack lift">
      <div class="page-head">
        <h1>{t('lift.title')}</h1>
        {/* biome-ignore lint/a11y/useSemanticElements: two toggle buttons, not a form: a labelled group, not a fieldset */}
        <div class="actions-inline" role="group" aria-label={t('lift.scope')}>
          {(['running', 'all'] as const).map((v) => (
            <button
              key={v}
              type="button"
              class={`btn btn-small${scope.value === v ? ' is-active' : ''}`}
              aria-pressed={scope.value === v}
              onClick={() => (scope.value = v)}
            >
              {t(`lift.scope.${v}`)}
            </button>
          ))}
        </div>
      </div>
      <p class="lead">{t('lift.intro')}</p>
      {!s.data && s.status !== 'error' && <Loading />}
      {s.status === 'error' && <ErrorBox message={errorText(s.error)} onRetry={() => void loader.load()} />}
      {s.data && <LiftView report={s.data} />}
    </section>
  );
}
export default LiftScreen;
