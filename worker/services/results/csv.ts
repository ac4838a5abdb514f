/**
 * @module
 * CSV exports of the results table and the daily series, made for Excel: UTF-8 with a BOM
 * (without it, Excel on Japanese Windows reads UTF-8 as Shift_JIS and the Japanese verdicts
 * turn to mojibake), CRLF line ends and RFC 4180 quoting. Column headers are English by
 * default (stable for scripts) or Japanese with `lang=ja`.
 */
import type { ExperimentResults } from '../../core/stats';
import type { ExperimentSeries } from './experiment';

export const BOM = '\uFEFF';
export type CsvLang = 'en' | 'ja';
type Cell = string | number | boolean | null | undefined;

/**
 * One cell. Text that Excel would run as a formula (starting with = + - @ or a tab/CR) gets a
 * leading apostrophe: arm keys and names are user input, and a CSV is opened by someone else.
 * Numbers are written as they are, so a negative uplift stays a number.
 */
export function csvCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(header: string[], rows: Cell[][]): string {
  return BOM + [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

const RESULT_COLUMNS: [string, string][] = [
  ['experiment_id', '実験ID'],
  ['arm', 'アーム'],
  ['is_control', 'コントロール'],
  ['weight', '配分'],
  ['visitors', '訪問者数'],
  ['conversions', 'コンバージョン数'],
  ['cvr', 'CVR'],
  ['cvr_ci_low', 'CVR下限(95%)'],
  ['cvr_ci_high', 'CVR上限(95%)'],
  ['uplift', '改善率'],
  ['uplift_ci_low', '改善率下限(95%)'],
  ['uplift_ci_high', '改善率上限(95%)'],
  ['p_value', 'p値'],
  ['chance_to_beat_control', 'コントロールに勝つ確率'],
  ['verdict', '判定'],
  ['message', 'メッセージ'],
];

/** The arm table of the results page, one row per arm. */
export function resultsCsv(r: ExperimentResults, lang: CsvLang): string {
  const header = RESULT_COLUMNS.map(([en, ja]) => (lang === 'ja' ? ja : en));
  const rows = r.arms.map((a) => [
    r.experiment.id,
    a.key,
    a.isControl,
    a.weight,
    a.visitors,
    a.conversions,
    a.cvr,
    a.ci[0],
    a.ci[1],
    a.uplift?.relative,
    a.uplift?.ci[0],
    a.uplift?.ci[1],
    a.pValue,
    a.chanceToBeatControl,
    a.verdict,
    a.message?.[lang],
  ]);
  return toCsv(header, rows);
}

const SERIES_COLUMNS: [string, string][] = [
  ['experiment_id', '実験ID'],
  ['date', '日付(UTC)'],
  ['arm', 'アーム'],
  ['exposures', '新規訪問者数'],
  ['conversions', '新規コンバージョン数'],
  ['cumulative_visitors', '累計訪問者数'],
  ['cumulative_conversions', '累計コンバージョン数'],
  ['cumulative_cvr', '累計CVR'],
];

/** The daily series, long format (one row per date per arm): what a pivot table wants. */
export function seriesCsv(s: ExperimentSeries, lang: CsvLang): string {
  const header = SERIES_COLUMNS.map(([en, ja]) => (lang === 'ja' ? ja : en));
  const rows: Cell[][] = [];
  s.dates.forEach((_, i) => {
    for (const a of s.arms) {
      const p = a.points[i]!;
      rows.push([
        s.experiment.id,
        p.date,
        a.key,
        p.exposures,
        p.conversions,
        p.cumulativeVisitors,
        p.cumulativeConversions,
        p.cumulativeCvr,
      ]);
    }
  });
  return toCsv(header, rows);
}
