/**
 * The results and lift screens from loaded numbers, rendered to strings: verdict badges, the
 * SRM banner shown only when the split is broken, the CI bars' geometry on a shared scale, the
 * cumulative CVR chart (one line per arm, accessible), and the lift in plain words that says
 * "not enough data yet" while the CI spans 0.
 */
// The console's words in both languages (the browser loads one language chunk at a time).
import '../../admin/src/i18n/all';
import { renderToString } from 'preact-render-to-string';
import { afterEach, describe, expect, it } from 'vitest';
import { CiBar } from '../../admin/src/components/CiBar';
import { CvrChart } from '../../admin/src/components/CvrChart';
import { VerdictBadge } from '../../admin/src/components/VerdictBadge';
import { lang } from '../../admin/src/i18n/catalogue';
import {
  ciGeometry,
  ciScaleMax,
  cvrChartGeometry,
  liftReading,
  liftScale,
  liftSentence,
  rfmt,
  splitShares,
  type ExperimentSeries,
  type LiftComparison,
  type LiftReport,
} from '../../admin/src/models/resultsModel';
import { LiftView } from '../../admin/src/screens/LiftScreen';
import { ResultsView } from '../../admin/src/screens/ResultsScreen';
import { computeExperimentResults, type ArmInput } from '../../worker/core/stats';
import { compare } from '../../worker/services/results/lift';

afterEach(() => {
  lang.value = 'en';
});

const meta = { id: 'exp_consideration_hero', slot: 'hero', segment: 'consideration', goal: 'form_inquiry', status: 'running' };
const arm = (key: string, visitors: number, conversions: number, weight = 1 / 3): ArmInput => ({
  key,
  weight,
  isControl: key === 'control',
  visitors,
  conversions,
});
const results = (arms: ArmInput[]) => computeExperimentResults({ experiment: meta, arms, visitorsPerDay: 120 });

const series: ExperimentSeries = {
  experiment: meta,
  dates: ['2026-11-20', '2026-11-21', '2026-11-22'],
  arms: [
    {
      key: 'control',
      isControl: true,
      points: [
        { date: '2026-11-20', exposures: 10, conversions: 1, cumulativeVisitors: 10, cumulativeConversions: 1, cumulativeCvr: 0.1 },
        { date: '2026-11-21', exposures: 10, conversions: 0, cumulativeVisitors: 20, cumulativeConversions: 1, cumulativeCvr: 0.05 },
        { date: '2026-11-22', exposures: 20, conversions: 1, cumulativeVisitors: 40, cumulativeConversions: 2, cumulativeCvr: 0.05 },
      ],
    },
    {
      key: 'case_a',
      isControl: false,
      points: [
        { date: '2026-11-20', exposures: 0, conversions: 0, cumulativeVisitors: 0, cumulativeConversions: 0, cumulativeCvr: null },
        { date: '2026-11-21', exposures: 10, conversions: 1, cumulativeVisitors: 10, cumulativeConversions: 1, cumulativeCvr: 0.1 },
        { date: '2026-11-22', exposures: 10, conversions: 2, cumulativeVisitors: 20, cumulativeConversions: 3, cumulativeCvr: 0.15 },
      ],
    },
  ],
};

describe('verdict badges', () => {
  it.each([
    ['winner', 'verdict-ok', '▲'],
    ['loser', 'verdict-hot', '▼'],
    ['keep_running', 'verdict-info', '…'],
    ['no_difference', 'verdict-muted', '='],
    ['srm_problem', 'verdict-warn', '⚠'],
  ] as const)('%s → %s with a shape and the message in the chosen language', (verdict, cls, icon) => {
    const message = { en: `EN ${verdict}`, ja: `JA ${verdict}` };
    const en = renderToString(<VerdictBadge verdict={verdict} message={message} />);
    expect(en).toContain(`class="verdict ${cls}"`);
    expect(en).toContain(`data-verdict="${verdict}"`);
    expect(en).toContain(`<span aria-hidden="true" class="verdict-icon">${icon}</span>EN ${verdict}`);
    lang.value = 'ja';
    expect(renderToString(<VerdictBadge verdict={verdict} message={message} />)).toContain(`JA ${verdict}`);
  });

  it('the arm table shows each arm’s verdict message from the API, control as the baseline', () => {
    const r = results([arm('control', 2000, 100), arm('case_a', 2000, 190), arm('case_b', 2000, 30)]);
    expect(r.arms.map((a) => a.verdict)).toEqual([null, 'winner', 'loser']);
    const html = renderToString(<ResultsView results={r} series={series} />);
    expect(html).toContain('data-verdict="winner"');
    expect(html).toContain('data-verdict="loser"');
    expect(html).toContain(r.arms[1]!.message!.en);
    expect(html).toMatch(/<tr data-arm="control">.*Baseline/);
    lang.value = 'ja';
    expect(renderToString(<ResultsView results={r} series={series} />)).toContain(r.arms[1]!.message!.ja);
  });
});

describe('SRM banner', () => {
  it('is hidden while the split matches the weights', () => {
    const r = results([arm('control', 1000, 50), arm('case_a', 990, 72), arm('case_b', 1010, 55)]);
    expect(r.srm.ok).toBe(true);
    expect(renderToString(<ResultsView results={r} series={series} />)).not.toContain('srm-banner');
  });

  it('explains in plain words, with configured vs observed shares, when it does not', () => {
    const r = results([arm('control', 1000, 50), arm('case_a', 500, 30), arm('case_b', 500, 25)]);
    expect(r.srm.ok).toBe(false);
    const html = renderToString(<ResultsView results={r} series={series} />);
    expect(html).toContain('data-testid="srm-banner"');
    expect(html).toContain('role="alert"');
    expect(html).toContain('doesn’t match the weights');
    expect(html).toContain('can’t be trusted');
    expect(html).toContain('configured control 33.3% / case_a 33.3% / case_b 33.3%; observed control 50.0% / case_a 25.0% / case_b 25.0%');
    expect(html).toContain('Check the setup');
    lang.value = 'ja';
    expect(renderToString(<ResultsView results={r} series={series} />)).toContain('訪問者の振り分けが設定した配分と一致していません');
  });

  it('shares: configured weights normalised, observed visitors', () => {
    expect(
      splitShares([
        { key: 'a', weight: 2, visitors: 30 },
        { key: 'b', weight: 2, visitors: 10 },
      ]),
    ).toEqual([
      { key: 'a', expected: 0.5, actual: 0.75 },
      { key: 'b', expected: 0.5, actual: 0.25 },
    ]);
  });
});

describe('CI bars on a shared scale', () => {
  it('places the interval, the estimate and the reference mark', () => {
    expect(ciGeometry([0.04, 0.06], 0.05, [0, 0.1], 200, 0.03)).toEqual({ x1: 80, x2: 120, cx: 100, marker: 60 });
    // A lift scale is centred on 0; values beyond the scale are clamped to its ends.
    expect(ciGeometry([-0.1, 0.5], 0.2, [-0.4, 0.4], 160, 0)).toEqual({ x1: 60, x2: 160, cx: 120, marker: 80 });
  });

  it('the scale ends at a round value above every arm’s CI (arms without visitors ignored)', () => {
    expect(
      ciScaleMax([
        { ci: [0.0382, 0.0653], visitors: 1000 },
        { ci: [0.0582, 0.0906], visitors: 990 },
        { ci: [0, 1], visitors: 0 },
      ]),
    ).toBe(0.1);
    expect(ciScaleMax([{ ci: [0.2, 0.31], visitors: 50 }])).toBe(0.4);
    expect(liftScale([{ lift: { relative: 0.45, ci: [0.02, 0.89] } }, { lift: null }])).toBe(1);
    expect(liftScale([{ lift: { relative: 0.05, ci: [-0.05, 0.1] } }])).toBe(0.2);
  });

  it('draws rect and dot where the geometry says, labelled for screen readers', () => {
    const html = renderToString(
      <CiBar ci={[0.04, 0.06]} value={0.05} domain={[0, 0.1]} marker={0.03} width={200} label="case_a: CVR 5.00%" />,
    );
    expect(html).toContain('role="img"');
    expect(html).toContain('aria-label="case_a: CVR 5.00%"');
    expect(html).toMatch(/<line class="ci-marker" x1="60" x2="60"/);
    expect(html).toMatch(/<rect class="ci-range" x="80" y="6" width="40"/);
    expect(html).toMatch(/<circle class="ci-point" cx="100"/);
  });

  it('every arm row in the table shares one scale, with the control’s CVR marked', () => {
    const r = results([arm('control', 1000, 50), arm('case_a', 990, 72), arm('case_b', 1010, 55)]);
    const html = renderToString(<ResultsView results={r} series={series} />);
    const markers = [...html.matchAll(/<line class="ci-marker" x1="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(markers).toHaveLength(3);
    expect(new Set(markers).size).toBe(1);
    expect(markers[0]).toBe(ciGeometry(r.arms[0]!.ci, r.arms[0]!.cvr, [0, 0.1], 150, r.arms[0]!.cvr).marker);
    expect(html).toContain('0.00% to 10.00%');
  });
});

describe('results page states and numbers', () => {
  it('no visitors yet → the empty state, not a table of zeros', () => {
    const r = results([arm('control', 0, 0), arm('case_a', 0, 0), arm('case_b', 0, 0)]);
    const html = renderToString(<ResultsView results={r} series={{ dates: [], arms: [] }} />);
    expect(html).toContain('state-empty');
    expect(html).toContain('No visitors yet');
    expect(html).not.toContain('<table');
  });

  it('says how many visitors are needed per arm, and formats numbers by language', () => {
    const r = results([arm('control', 1000, 50), arm('case_a', 990, 72), arm('case_b', 1010, 55)]);
    expect(r.enoughData).toBe(false);
    const html = renderToString(<ResultsView results={r} series={series} />);
    expect(html).toContain(`about ${r.requiredVisitorsPerArm!.toLocaleString('en-US')} visitors per arm`);
    expect(html).toContain('the smallest arm has 990');
    expect(html).toMatch(/<td class="num" data-col="visitors">1,010<\/td>/);
    expect(html).toContain('7.27%');
    expect(rfmt.p(0.0004)).toBe('< 0.001');
    expect(rfmt.signed(0.4545)).toBe('+45.5%');
    lang.value = 'ja';
    expect(rfmt.day('2026-11-20', true)).toBe('2026/11/20');
    expect(renderToString(<ResultsView results={r} series={series} />)).toContain('1 パターンあたり約');
  });
});

describe('cumulative CVR chart', () => {
  const box = { width: 400, height: 200, pad: { top: 10, right: 50, bottom: 30, left: 50 } };

  it('one line per arm over the shared days; an arm starts at its first visitor', () => {
    const g = cvrChartGeometry(series, box);
    expect(g.yMax).toBe(0.2);
    expect(g.lines.map((l) => l.key)).toEqual(['control', 'case_a']);
    expect(g.lines[0]!.d).toBe('M50 90L200 130L350 130');
    expect(g.lines[1]!.d).toBe('M200 90L350 50');
    expect(g.xTicks.map((t) => t.x)).toEqual([50, 200, 350]);
    // End labels at least 13 px apart.
    const [a, b] = g.lines.map((l) => l.labelY!);
    expect(Math.abs(a! - b!)).toBeGreaterThanOrEqual(13);
  });

  it('a single day is a dot in the middle', () => {
    const one = { dates: ['2026-11-22'], arms: [{ ...series.arms[0]!, points: [series.arms[0]!.points[0]!] }] };
    expect(cvrChartGeometry(one, box).lines[0]!.d).toBe('M200 63.3');
  });

  it('is an image with a label, and its numbers are a visually hidden table', () => {
    const html = renderToString(<CvrChart series={series} />);
    expect(html).toContain('role="img"');
    expect(html).toMatch(/aria-label="Line chart of the cumulative CVR of each arm \(control, case_a\) from Nov 20, 2026 to Nov 22, 2026/);
    expect(html.match(/<path class="cvr-line" data-arm=/g)).toHaveLength(2);
    expect(html).toContain('<table class="sr-only">');
    expect(html).toContain('<th scope="row">Nov 21, 2026</th><td>5.00% (1 / 20)</td><td>10.00% (1 / 10)</td>');
  });
});

describe('personalization lift in plain words', () => {
  const better = compare({ cP: 300, nP: 2000, cC: 120, nC: 1000 });
  const unclear = compare({ cP: 13, nP: 100, cC: 5, nC: 50 });
  const worse = compare({ cP: 100, nP: 2000, cC: 100, nC: 1000 });

  it('says better / worse only when the whole CI is on one side of 0', () => {
    expect([liftReading(better), liftReading(unclear), liftReading(worse)]).toEqual(['better', 'unclear', 'worse']);
    expect(liftSentence(better)).toBe(
      `Visitors who saw segment content converted 25% more often than those who saw the generic page (95% CI ${rfmt.signed(better.lift!.ci[0], 0)} … ${rfmt.signed(better.lift!.ci[1], 0)}).`,
    );
    expect(liftSentence(worse)).toMatch(/^Visitors who saw segment content converted 50% less often/);
    expect(liftSentence(unclear)).toMatch(
      /^Not enough data yet: so far segment content converts \+30% compared with the generic page, but the 95% CI \(-?−?\d+% … \+\d+%\) still includes no difference\.$/,
    );
    lang.value = 'ja';
    expect(liftSentence(better)).toMatch(
      /^セグメント向けコンテンツを見た訪問者は、標準ページを見た訪問者よりコンバージョン率が 25% 高くなりました（95% 信頼区間 \+\d+% 〜 \+\d+%）。$/,
    );
    expect(liftSentence(unclear)).toMatch(/^まだ判断できるだけのデータがありません。/);
  });

  it('is honest when there is nothing to compare', () => {
    expect(liftSentence(compare({ cP: 3, nP: 20, cC: 0, nC: 0 }))).toBe('Not enough data yet: one side has no visitors.');
    expect(liftSentence(compare({ cP: 3, nP: 20, cC: 0, nC: 10 }))).toMatch(/no one who saw the generic page has converted/);
  });

  it('the view shows the overall comparison, per segment and per experiment rows', () => {
    const report: LiftReport = {
      status: 'running',
      overall: { experiments: ['exp_consideration_hero'], ...better },
      segments: [{ segment: 'consideration', name: '検討段階', experiments: ['exp_consideration_hero'], ...better }],
      experiments: [
        {
          id: 'exp_consideration_hero',
          name: 'Case studies',
          slot: 'hero',
          segment: 'consideration',
          goal: 'form_inquiry',
          status: 'running',
          ...(better as LiftComparison),
        },
      ],
    };
    const html = renderToString(<LiftView report={report} />);
    expect(html).toContain('data-testid="lift-overall"');
    expect(html).toContain('<tr data-segment="consideration">');
    expect(html).toContain('href="/admin/experiments/exp_consideration_hero/results"');
    expect(html).toContain('300 of 2,000 visitors');
    expect(html.match(/converted 25% more often/g)).toHaveLength(3);
    const empty = renderToString(
      <LiftView report={{ ...report, overall: { ...report.overall, experiments: [] }, segments: [], experiments: [] }} />,
    );
    expect(empty).toContain('No running experiment has a control arm yet');
  });
});
