/**
 * @module
 * The score over time as an SVG line (no chart library): jumps at events, daily decay between
 * them, dashed lines at the warm and hot thresholds. Each event dot has a tooltip.
 */
import { chartGeometry, scoreSeries, type SeriesEvent } from '../lib/scoreSeries';
import { fmt, t } from '../i18n/catalogue';
import { eventLabel } from '../lib/names';
import { ChartTicks } from './ChartTicks';

export interface ScoreChartProps {
  events: SeriesEvent[];
  decayPerDay: number;
  now: number;
  warmAt: number;
  hotAt: number;
}

const BOX = { width: 720, height: 220, pad: { top: 12, right: 16, bottom: 28, left: 40 } };

export function ScoreChart({ events, decayPerDay, now, warmAt, hotAt }: ScoreChartProps) {
  const points = scoreSeries(events, decayPerDay, now);
  if (points.length === 0) return null;
  const g = chartGeometry(points, BOX, warmAt);
  const ticks = [0, Math.round(g.yMax / 2), Math.round(g.yMax / 1.1)];
  const threshold = (value: number, label: string, cls: string) =>
    value < g.yMax ? (
      <g class={cls}>
        <line x1={BOX.pad.left} x2={BOX.width - BOX.pad.right} y1={g.y(value)} y2={g.y(value)} />
        <text x={BOX.width - BOX.pad.right} y={g.y(value) - 4} text-anchor="end">
          {label} {value}
        </text>
      </g>
    ) : null;
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${BOX.width} ${BOX.height}`} role="img" aria-label={t('members.chartLabel')}>
        <ChartTicks values={ticks} y={g.y} box={BOX} />
        {threshold(warmAt, t('tier.warm'), 'threshold threshold-warm')}
        {threshold(hotAt, t('tier.hot'), 'threshold threshold-hot')}
        <path class="line" d={g.path} />
        {points
          .filter((p) => p.event)
          .map((p, i) => (
            <circle key={i} class="dot" cx={g.x(p.t)} cy={g.y(p.score)} r={4}>
              <title>{`${fmt.dateTime(p.t)} ${eventLabel(p.event!.type)} +${p.event!.points} → ${fmt.number(p.score)}`}</title>
            </circle>
          ))}
        <text class="axis" x={BOX.pad.left} y={BOX.height - 8}>
          {fmt.date(g.t0)}
        </text>
        <text class="axis" x={BOX.width - BOX.pad.right} y={BOX.height - 8} text-anchor="end">
          {fmt.date(g.t1)}
        </text>
      </svg>
    </figure>
  );
}
