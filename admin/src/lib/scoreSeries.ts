/**
 * @module
 * The score's history as points of a line: each event's jump (score just before → after), the
 * daily decay between events (down to 0), and the score now. Pure, so it is tested in Node
 * and drawn as SVG by ScoreChart.
 */
import { decayedScore } from '@worker/core/scoring';
import { DAY_MS } from '@worker/core/types';

export interface SeriesEvent {
  at: number;
  scoreAfter: number;
  points: number;
  type: string;
}

export interface SeriesPoint {
  t: number;
  score: number;
  /** Set on the point right after an event. */
  event?: SeriesEvent;
}

/**
 * @example scoreSeries([{at: 0, scoreAfter: 10, points: 10, type: 'download'}], 1, 5 * DAY_MS)
 *   // [{t: 0, score: 0}, {t: 0, score: 10, event}, {t: 5 days, score: 5}]
 */
export function scoreSeries(events: SeriesEvent[], decayPerDay: number, now: number): SeriesPoint[] {
  const ordered = [...events].sort((a, b) => a.at - b.at);
  const points: SeriesPoint[] = [];
  let prev: { at: number; score: number } | null = null;
  const decayTo = (until: number) => {
    if (!prev) return;
    // Where the line reaches 0 before `until`, bend there so the floor is visible.
    if (decayPerDay > 0 && prev.score > 0) {
      const zeroAt = prev.at + Math.ceil(prev.score / decayPerDay) * DAY_MS;
      if (zeroAt < until) points.push({ t: zeroAt, score: 0 });
    }
  };
  for (const e of ordered) {
    const before = prev ? decayedScore(prev.score, prev.at, e.at, decayPerDay) : 0;
    decayTo(e.at);
    points.push({ t: e.at, score: before });
    points.push({ t: e.at, score: e.scoreAfter, event: e });
    prev = { at: e.at, score: e.scoreAfter };
  }
  if (prev && now > prev.at) {
    decayTo(now);
    points.push({ t: now, score: decayedScore(prev.score, prev.at, now, decayPerDay) });
  }
  return points;
}

export interface ChartBox {
  width: number;
  height: number;
  pad: { top: number; right: number; bottom: number; left: number };
}

/** Maps series points into the box; returns the SVG path and scales. */
export function chartGeometry(points: SeriesPoint[], box: ChartBox, minMax = 0) {
  const t0 = points[0]?.t ?? 0;
  const t1 = Math.max(points.at(-1)?.t ?? 1, t0 + 1);
  const yMax = Math.max(minMax, ...points.map((p) => p.score), 1) * 1.1;
  const w = box.width - box.pad.left - box.pad.right;
  const h = box.height - box.pad.top - box.pad.bottom;
  const x = (t: number) => box.pad.left + ((t - t0) / (t1 - t0)) * w;
  const y = (s: number) => box.pad.top + h - (s / yMax) * h;
  const path = points.map((p, i) => `${i ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p.score).toFixed(1)}`).join(' ');
  return { path, x, y, t0, t1, yMax };
}
