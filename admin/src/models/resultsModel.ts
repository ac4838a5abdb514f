/**
 * @module
 * Experiment results and personalization lift for the console: loading (results + daily series
 * in parallel, the lift report), the CSV download (fetched with the admin token, saved through a
 * Blob URL so the token never appears in a URL), and the pure helpers the screens draw with —
 * the shared CI-bar scale, the chart's geometry, the number formats and the plain-words lift
 * sentence. The helpers are pure so they are tested in Node. Screens load them through
 * lib/loader.ts.
 */
import type { ExperimentResults, VerdictKind } from '@worker/core/stats';
import type { ExperimentSeries } from '@worker/services/results/experiment';
import type { LiftComparison, LiftReport, LiftScope, LiftSide } from '@worker/services/results/lift';
import { api, ApiFailure, unwrap } from '../api/client';
import { formatDate, formatNumber, lang, t } from '../i18n/catalogue';

export type { ExperimentResults, ExperimentSeries, LiftComparison, LiftReport, LiftScope, LiftSide };
export type ArmResult = ExperimentResults['arms'][number];

export interface ResultsData {
  results: ExperimentResults;
  series: ExperimentSeries;
}

/** Results and the daily series of one experiment, read in parallel. */
export async function loadResults(id: string): Promise<ResultsData> {
  const [results, series] = await Promise.all([
    unwrap(api.experiments[':id'].results.$get({ param: { id } })),
    unwrap(api.experiments[':id'].series.$get({ param: { id } })),
  ]);
  return { results: results as ExperimentResults, series: series as ExperimentSeries };
}

export async function loadLiftReport(status: LiftScope): Promise<LiftReport> {
  return (await unwrap(api.lift.$get({ query: { status } }))) as LiftReport;
}

/**
 * Downloads one of the CSV exports. The endpoint needs the bearer token, which an `<a href>`
 * cannot send (and must not carry in its URL), so the file is fetched and handed to the browser
 * as a Blob URL. Column headers follow the console's language.
 */
export async function downloadCsv(id: string, kind: 'results' | 'series'): Promise<void> {
  const query = kind === 'series' ? { series: '1' as const, lang: lang.value } : { lang: lang.value };
  let res: Response;
  try {
    res = (await api.experiments[':id']['results.csv'].$get({ param: { id }, query })) as unknown as Response;
  } catch {
    throw new ApiFailure(0, 'network', 'network');
  }
  if (!res.ok) {
    // Let unwrap read the contract's error (and sign out on 401).
    await unwrap(Promise.resolve(res));
    throw new ApiFailure(res.status, 'http_error', `HTTP ${res.status}`);
  }
  const blob = new Blob([await res.arrayBuffer()], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `${id}-${kind}.csv`;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoke later: Chromium starts the download asynchronously from the URL.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

// ---------------------------------------------------------------------------------------------
// Formatting (Intl, by the console's language)

// Through the catalogue's formatters, the console's one place for Intl.
export const rfmt = {
  /** 0.0727 → "7.27%" (CVRs are small, so two decimals). */
  cvr: (x: number | null) => (x === null ? '—' : formatNumber(x, { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 })),
  /** 0.4545 → "+45.5%"; signed, for uplifts. */
  signed: (x: number | null, digits = 1) =>
    x === null
      ? '—'
      : formatNumber(x, { style: 'percent', signDisplay: 'exceptZero', minimumFractionDigits: 0, maximumFractionDigits: digits }),
  /** 0.983 → "98.3%". */
  chance: (x: number | null) =>
    x === null ? '—' : formatNumber(x, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }),
  /** p-values: "< 0.001" below that, else three decimals. */
  p: (x: number | null) => {
    if (x === null) return '—';
    const three = (n: number) => formatNumber(n, { minimumFractionDigits: 3, maximumFractionDigits: 3 });
    return x < 0.001 ? `< ${three(0.001)}` : three(x);
  },
  /** A UTC calendar date (`2026-11-20`) without shifting it into the viewer's timezone. */
  day: (iso: string, long = false) =>
    formatDate(`${iso}T00:00:00Z`, long ? { dateStyle: 'medium', timeZone: 'UTC' } : { month: 'short', day: 'numeric', timeZone: 'UTC' }),
  /** Rounded to a whole percent, unsigned: "24%" (one decimal under 10 %). */
  magnitude: (x: number) => formatNumber(Math.abs(x), { style: 'percent', maximumFractionDigits: Math.abs(x) < 0.1 ? 1 : 0 }),
};

// ---------------------------------------------------------------------------------------------
// Verdicts, SRM and the "enough data?" note

export const verdictTone: Record<VerdictKind, 'ok' | 'hot' | 'info' | 'muted' | 'warn'> = {
  winner: 'ok',
  loser: 'hot',
  keep_running: 'info',
  no_difference: 'muted',
  srm_problem: 'warn',
};

/** A shape next to the colour, so the verdict does not rest on colour alone. */
export const verdictIcon: Record<VerdictKind, string> = {
  winner: '▲',
  loser: '▼',
  keep_running: '…',
  no_difference: '=',
  srm_problem: '⚠',
};

/** Each arm's share of visitors as configured and as observed (for the SRM banner). */
export function splitShares(arms: Pick<ArmResult, 'key' | 'weight' | 'visitors'>[]): { key: string; expected: number; actual: number }[] {
  const weight = arms.reduce((s, a) => s + Math.max(0, a.weight), 0);
  const visitors = arms.reduce((s, a) => s + a.visitors, 0);
  return arms.map((a) => ({
    key: a.key,
    expected: weight > 0 ? Math.max(0, a.weight) / weight : 0,
    actual: visitors > 0 ? a.visitors / visitors : 0,
  }));
}

/** True when no arm has a visitor yet (the page then shows its empty state). */
export const hasNoVisitors = (r: ExperimentResults) => r.arms.every((a) => a.visitors === 0);

// ---------------------------------------------------------------------------------------------
// CI bars on a shared scale

const NICE = [0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.8, 1];

/** A round upper end for the shared CVR scale: the smallest nice value ≥ every arm's CI top (arms with visitors). */
export function ciScaleMax(arms: Pick<ArmResult, 'ci' | 'visitors'>[]): number {
  const top = Math.max(0, ...arms.filter((a) => a.visitors > 0).map((a) => a.ci[1]));
  return NICE.find((n) => n >= top) ?? 1;
}

export interface CiGeometry {
  /** Left and right ends of the interval, and the point estimate, in px within [0, width]. */
  x1: number;
  x2: number;
  cx: number;
  /** The reference marker (the control's CVR, or 0 for a lift), when given. */
  marker: number | null;
}

/**
 * Positions on a bar `width` px wide for the scale `domain` ([0, max] for CVRs, [−m, m] for
 * lifts); values outside are clamped to the ends.
 * @example ciGeometry([0.04, 0.06], 0.05, [0, 0.1], 200, 0.03) // {x1: 80, x2: 120, cx: 100, marker: 60}
 */
export function ciGeometry(
  ci: [number, number],
  value: number,
  domain: [number, number],
  width: number,
  marker: number | null = null,
): CiGeometry {
  const [lo, hi] = domain;
  const x = (v: number) => Math.round(Math.min(1, Math.max(0, hi > lo ? (v - lo) / (hi - lo) : 0)) * width * 100) / 100;
  return { x1: x(ci[0]), x2: x(ci[1]), cx: x(value), marker: marker === null ? null : x(marker) };
}

// ---------------------------------------------------------------------------------------------
// The cumulative CVR chart

export interface ChartBox {
  width: number;
  height: number;
  pad: { top: number; right: number; bottom: number; left: number };
}

export interface ArmLine {
  key: string;
  isControl: boolean;
  /** SVG path; one `M` per stretch of days with a CVR (none before the arm's first visitor). */
  d: string;
  points: { x: number; y: number; date: string; cvr: number; visitors: number; conversions: number }[];
  /** Where the arm's label goes at the right end (nudged apart from the others). */
  labelY: number | null;
}

export interface CvrChartGeometry {
  lines: ArmLine[];
  yMax: number;
  yTicks: { value: number; y: number }[];
  xTicks: { date: string; x: number }[];
  x: (i: number) => number;
  y: (v: number) => number;
}

/** Colours of the arms' lines (control is grey and dashed), contrast ≥ 3:1 on white. */
export const ARM_COLORS = ['#2348b8', '#c2410c', '#1d7a46', '#7c3aed', '#b42318', '#0e7490'];
export const CONTROL_COLOR = '#5a6473';

export function armColor(arms: { key: string; isControl: boolean }[], key: string): string {
  const others = arms.filter((a) => !a.isControl);
  const arm = arms.find((a) => a.key === key);
  if (!arm || arm.isControl) return CONTROL_COLOR;
  return ARM_COLORS[others.indexOf(arm) % ARM_COLORS.length]!;
}

const round = (v: number) => Math.round(v * 10) / 10;

/** Geometry of the cumulative CVR lines: one per arm over the shared dates. */
export function cvrChartGeometry(series: Pick<ExperimentSeries, 'dates' | 'arms'>, box: ChartBox): CvrChartGeometry {
  const { width, height, pad } = box;
  const n = series.dates.length;
  const top = Math.max(0, ...series.arms.flatMap((a) => a.points.map((p) => p.cumulativeCvr ?? 0)));
  const yMax = NICE.find((v) => v >= top * 1.05) ?? 1;
  const x = (i: number) => round(n <= 1 ? (pad.left + width - pad.right) / 2 : pad.left + (i / (n - 1)) * (width - pad.left - pad.right));
  const y = (v: number) => round(height - pad.bottom - (v / yMax) * (height - pad.top - pad.bottom));
  const lines: ArmLine[] = series.arms.map((a) => {
    const points: ArmLine['points'] = [];
    let d = '';
    let pen = false;
    a.points.forEach((p, i) => {
      if (p.cumulativeCvr === null) {
        pen = false;
        return;
      }
      const pt = {
        x: x(i),
        y: y(p.cumulativeCvr),
        date: p.date,
        cvr: p.cumulativeCvr,
        visitors: p.cumulativeVisitors,
        conversions: p.cumulativeConversions,
      };
      points.push(pt);
      d += `${pen ? 'L' : 'M'}${pt.x} ${pt.y}`;
      pen = true;
    });
    return { key: a.key, isControl: a.isControl, d, points, labelY: points.length ? points[points.length - 1]!.y : null };
  });
  // Nudge the end labels at least 13 px apart, keeping their order.
  const labelled = lines.filter((l) => l.labelY !== null).sort((a, b) => a.labelY! - b.labelY!);
  for (let i = 1; i < labelled.length; i++) {
    const prev = labelled[i - 1]!.labelY!;
    if (labelled[i]!.labelY! - prev < 13) labelled[i]!.labelY = prev + 13;
  }
  const yTicks = [0, yMax / 2, yMax].map((value) => ({ value, y: y(value) }));
  const idx = n <= 2 ? [...Array(n).keys()] : [0, Math.floor((n - 1) / 2), n - 1];
  const xTicks = [...new Set(idx)].map((i) => ({ date: series.dates[i]!, x: x(i) }));
  return { lines, yMax, yTicks, xTicks, x, y };
}

// ---------------------------------------------------------------------------------------------
// Personalization lift in plain words

export type LiftReading = 'better' | 'worse' | 'unclear' | 'no_visitors' | 'no_control_conversions';

/** What a comparison can honestly say: better / worse only when the whole 95 % CI is on one side of 0. */
export function liftReading(c: Pick<LiftComparison, 'lift' | 'personalized' | 'control'>): LiftReading {
  if (c.personalized.visitors === 0 || c.control.visitors === 0) return 'no_visitors';
  if (!c.lift) return 'no_control_conversions';
  if (c.lift.ci[0] > 0) return 'better';
  if (c.lift.ci[1] < 0) return 'worse';
  return 'unclear';
}

/**
 * The sentence a marketer reads, e.g. "Visitors who saw segment content converted 24% more
 * often than those who saw the generic page (95% CI +3% … +48%)."; "not enough data yet"
 * whenever the interval spans 0.
 */
export function liftSentence(c: Pick<LiftComparison, 'lift' | 'personalized' | 'control'>): string {
  const reading = liftReading(c);
  if (reading === 'no_visitors') return t('lift.say.noVisitors');
  if (reading === 'no_control_conversions') return t('lift.say.noControlConversions');
  const { relative, ci } = c.lift!;
  const params = {
    lift: rfmt.magnitude(relative),
    signed: rfmt.signed(relative, 0),
    low: rfmt.signed(ci[0], 0),
    high: rfmt.signed(ci[1], 0),
  };
  if (reading === 'better') return t('lift.say.better', params);
  if (reading === 'worse') return t('lift.say.worse', params);
  return t('lift.say.unclear', params);
}

/** Shared scale for lift CI bars: symmetric around 0, wide enough for every interval shown (at least ±20 %). */
export function liftScale(items: Pick<LiftComparison, 'lift'>[]): number {
  const top = Math.max(0.2, ...items.flatMap((c) => (c.lift ? [Math.abs(c.lift.ci[0]), Math.abs(c.lift.ci[1])] : [])));
  return NICE.find((v) => v >= top) ?? Math.ceil(top);
}
