/**
 * @module
 * Cumulative CVR per arm over the experiment's days, as hand-written SVG: one line per arm
 * (control grey and dashed), a dot per day with a tooltip, the arm's name at the line's end.
 * Screen readers get the chart's summary as its label and the numbers as a visually hidden table.
 */
import type { ExperimentSeries } from '../models/resultsModel';
import { armColor, cvrChartGeometry, rfmt } from '../models/resultsModel';
import { fmt, t } from '../i18n/catalogue';

export interface CvrChartProps {
  series: Pick<ExperimentSeries, 'dates' | 'arms'>;
  /** An arm's name for people (the content it shows); the key when not given. */
  armLabel?: (key: string) => string;
}

const BOX = { width: 760, height: 260, pad: { top: 14, right: 96, bottom: 30, left: 52 } };

export function CvrChart({ series, armLabel = (key) => key }: CvrChartProps) {
  if (series.dates.length === 0) return null;
  const g = cvrChartGeometry(series, BOX);
  const first = series.dates[0]!;
  const last = series.dates[series.dates.length - 1]!;
  const label = t('results.chartLabel', {
    arms: series.arms.map((a) => armLabel(a.key)).join(', '),
    from: rfmt.day(first, true),
    to: rfmt.day(last, true),
  });
  return (
    <figure class="chart cvr-chart">
      <svg viewBox={`0 0 ${BOX.width} ${BOX.height}`} role="img" aria-label={label}>
        {g.yTicks.map((tick) => (
          <g key={tick.value} class="tick">
            <line x1={BOX.pad.left} x2={BOX.width - BOX.pad.right} y1={tick.y} y2={tick.y} />
            <text x={BOX.pad.left - 6} y={tick.y + 4} text-anchor="end">
              {rfmt.cvr(tick.value)}
            </text>
          </g>
        ))}
        {g.xTicks.map((tick) => (
          <text key={tick.date} class="axis" x={tick.x} y={BOX.height - 8} text-anchor="middle">
            {rfmt.day(tick.date)}
          </text>
        ))}
        {g.lines.map((line) => {
          const color = armColor(series.arms, line.key);
          return (
            <g key={line.key} class={`cvr-arm${line.isControl ? ' is-control' : ''}`} style={{ color }}>
              <path class="cvr-line" data-arm={line.key} d={line.d} />
              {line.points.map((p) => (
                <circle key={p.date} class="cvr-dot" cx={p.x} cy={p.y} r={3}>
                  <title>{`${armLabel(line.key)} · ${rfmt.day(p.date, true)}: ${rfmt.cvr(p.cvr)} (${fmt.number(p.conversions)} / ${fmt.number(p.visitors)})`}</title>
                </circle>
              ))}
              {line.labelY !== null && (
                <text class="cvr-label" x={BOX.width - BOX.pad.right + 8} y={line.labelY + 4}>
                  {armLabel(line.key)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <table class="sr-only">
        <caption>{t('results.chartTitle')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('results.date')}</th>
            {series.arms.map((a) => (
              <th key={a.key} scope="col">
                {armLabel(a.key)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {series.dates.map((date, i) => (
            <tr key={date}>
              <th scope="row">{rfmt.day(date, true)}</th>
              {series.arms.map((a) => {
                const p = a.points[i];
                return (
                  <td key={a.key}>
                    {p && p.cumulativeCvr !== null
                      ? `${rfmt.cvr(p.cumulativeCvr)} (${fmt.number(p.cumulativeConversions)} / ${fmt.number(p.cumulativeVisitors)})`
                      : '—'}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
