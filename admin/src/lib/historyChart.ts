/**
 * @module
 * Geometry of a segment's history chart: its size per day as a line, entries above and exits
 * below a baseline as bars. Pure, so it is tested in Node and drawn as SVG by
 * SegmentHistoryChart.
 */
export interface HistoryPoint {
  date: string;
  size: number;
  entered: number;
  exited: number;
}

export interface Box {
  width: number;
  height: number;
  pad: { top: number; right: number; bottom: number; left: number };
}

export interface HistoryGeometry {
  /** SVG path of the size line (empty with no days). */
  path: string;
  /** Largest size on the scale (at least 1). */
  yMax: number;
  y(size: number): number;
  x(index: number): number;
  /** One bar per day and direction: up for entries, down for exits, in the lower band. */
  bars: { x: number; y: number; height: number; kind: 'entered' | 'exited'; date: string; n: number }[];
  barWidth: number;
}

/** Part of the height the entries/exits band takes, under the size line. */
const BAND = 0.28;

/**
 * @example historyGeometry([{date: '2026-11-01', size: 10, entered: 2, exited: 0}], box).path // 'M…'
 */
export function historyGeometry(points: HistoryPoint[], box: Box): HistoryGeometry {
  const left = box.pad.left;
  const right = box.width - box.pad.right;
  const top = box.pad.top;
  const bottom = box.height - box.pad.bottom;
  const bandTop = bottom - (bottom - top) * BAND;
  const lineBottom = bandTop - 6;
  const yMax = Math.max(1, ...points.map((p) => p.size));
  const step = points.length > 1 ? (right - left) / (points.length - 1) : 0;
  const x = (i: number) => (points.length > 1 ? left + i * step : (left + right) / 2);
  const y = (size: number) => lineBottom - (size / yMax) * (lineBottom - top);
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.size).toFixed(1)}`).join(' ');
  const moveMax = Math.max(1, ...points.map((p) => Math.max(p.entered, p.exited)));
  const mid = (bandTop + bottom) / 2;
  const half = (bottom - bandTop) / 2;
  const barWidth = Math.max(1, Math.min(12, (points.length > 1 ? step : right - left) * 0.6));
  const bars: HistoryGeometry['bars'] = [];
  points.forEach((p, i) => {
    if (p.entered > 0) {
      const h = (p.entered / moveMax) * half;
      bars.push({ x: x(i) - barWidth / 2, y: mid - h, height: h, kind: 'entered', date: p.date, n: p.entered });
    }
    if (p.exited > 0) {
      const h = (p.exited / moveMax) * half;
      bars.push({ x: x(i) - barWidth / 2, y: mid, height: h, kind: 'exited', date: p.date, n: p.exited });
    }
  });
  return { path, yMax, y, x, bars, barWidth };
}

/**
 * Change over the last `days` days of a history (size now − size then), null without enough days.
 * @example sizeChange([{size: 10}, …, {size: 14}], 7) // 4
 */
export function sizeChange(points: Pick<HistoryPoint, 'size'>[], days: number): number | null {
  if (points.length < 2) return null;
  const then = points[Math.max(0, points.length - 1 - days)]!;
  return points.at(-1)!.size - then.size;
}
