/**
 * @module
 * Daily rows → cumulative per-arm series, for the results chart and for the looks that the
 * always-valid statistics take their running minimum over.
 */

/** One stored daily aggregate: new exposures and conversions of an arm on a day. */
export interface DailyRow {
  /** A day number or an ISO date (`2026-11-20`); either sorts correctly. */
  day: number | string;
  arm: string;
  exposures: number;
  conversions: number;
}

export interface CumulativePoint {
  day: number | string;
  visitors: number;
  conversions: number;
  /** null until the arm has a visitor. */
  cvr: number | null;
}

export interface ArmSeries {
  arm: string;
  points: CumulativePoint[];
}

function compareDays(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Running totals per arm per day. Every arm gets a point for every day that appears in any
 * row (carrying its totals forward on days it had no row) so the chart's lines share one
 * x-axis and the looks line up across arms. Rows for the same (day, arm) are added up. Arms
 * appear in the order first seen; days ascend.
 *
 * @example
 * cumulativeSeries([
 *   { day: 1, arm: 'control', exposures: 100, conversions: 5 },
 *   { day: 2, arm: 'control', exposures: 120, conversions: 7 },
 *   { day: 2, arm: 'case_a', exposures: 110, conversions: 9 },
 * ]);
 * // [{ arm: 'control', points: [{day:1, visitors:100, conversions:5, cvr:0.05}, {day:2, visitors:220, conversions:12, cvr:…}] },
 * //  { arm: 'case_a',  points: [{day:1, visitors:0, conversions:0, cvr:null}, {day:2, visitors:110, conversions:9, cvr:…}] }]
 */
export function cumulativeSeries(daily: DailyRow[]): ArmSeries[] {
  const arms: string[] = [];
  const days: Array<number | string> = [];
  const seenDays = new Set<number | string>();
  const cell = new Map<string, Map<number | string, [number, number]>>();
  for (const r of daily) {
    let byDay = cell.get(r.arm);
    if (!byDay) {
      byDay = new Map();
      cell.set(r.arm, byDay);
      arms.push(r.arm);
    }
    if (!seenDays.has(r.day)) {
      seenDays.add(r.day);
      days.push(r.day);
    }
    const prev = byDay.get(r.day) ?? [0, 0];
    byDay.set(r.day, [prev[0] + r.exposures, prev[1] + r.conversions]);
  }
  days.sort(compareDays);
  return arms.map((arm) => {
    const byDay = cell.get(arm)!;
    let visitors = 0;
    let conversions = 0;
    const points = days.map((day) => {
      const add = byDay.get(day);
      if (add) {
        visitors += add[0];
        conversions += add[1];
      }
      return { day, visitors, conversions, cvr: visitors > 0 ? conversions / visitors : null };
    });
    return { arm, points };
  });
}
