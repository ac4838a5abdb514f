/**
 * @module
 * A segment's size per day as an SVG line, with entries (up) and exits (down) as bars beneath,
 * and the "too small for an experiment" warning. No chart library: lib/historyChart.ts draws it.
 */
import type { SegmentHistoryEntry } from '../models/historyModel';
import { historyGeometry } from '../lib/historyChart';
import { fmt, t } from '../i18n/catalogue';
import { ChartTicks } from './ChartTicks';

const BOX = { width: 720, height: 240, pad: { top: 12, right: 16, bottom: 28, left: 44 } };

export interface SegmentHistoryChartProps {
  entry: SegmentHistoryEntry;
}

export function SegmentHistoryChart({ entry }: SegmentHistoryChartProps) {
  const rows = entry.history;
  if (rows.length === 0) return <p class="muted">{t('history.none')}</p>;
  const g = historyGeometry(rows, BOX);
  const first = rows[0]!;
  const last = rows.at(-1)!;
  return (
    <figure class="chart" data-testid="history-chart">
      <svg viewBox={`0 0 ${BOX.width} ${BOX.height}`} role="img" aria-label={t('history.chartLabel', { name: entry.name })}>
        <ChartTicks values={[0, Math.round(g.yMax / 2), g.yMax]} y={g.y} box={BOX} />
        <path class="line" d={g.path} />
        {rows.map((r, i) => (
          <circle key={r.date} class="dot" cx={g.x(i)} cy={g.y(r.size)} r={rows.length > 60 ? 1.5 : 3}>
            <title>
              {t('history.dayTip', {
                date: r.date,
                size: fmt.number(r.size),
                entered: fmt.number(r.entered),
                exited: fmt.number(r.exited),
              })}
            </title>
          </circle>
        ))}
        {g.bars.map((b) => (
          <rect key={`${b.kind}-${b.date}`} class={`bar bar-${b.kind}`} x={b.x} y={b.y} width={g.barWidth} height={b.height}>
            <title>{`${b.date} ${t(b.kind === 'entered' ? 'history.entered' : 'history.exited')} ${fmt.number(b.n)}`}</title>
          </rect>
        ))}
        <text class="axis" x={BOX.pad.left} y={BOX.height - 8}>
          {first.date}
        </text>
        <text class="axis" x={BOX.width - BOX.pad.right} y={BOX.height - 8} text-anchor="end">
          {last.date}
        </text>
      </svg>
      <figcaption class="small muted">{t('history.legend')}</figcaption>
    </figure>
  );
}

/** Latest size, entries and exits, and the 28-day experiment outlook in words. */
export function SegmentOutlook({ entry }: SegmentHistoryChartProps) {
  const o = entry.outlook;
  const latest = entry.latest;
  return (
    <div class="stack-sm">
      {latest && (
        <p data-testid="history-latest">
          {t('history.latest', {
            date: latest.date,
            size: fmt.number(latest.size),
            entered: fmt.number(latest.entered),
            exited: fmt.number(latest.exited),
          })}
        </p>
      )}
      {o.tooSmall ? (
        <p class="banner banner-warn" role="note" data-testid="history-warning">
          {o.daysNeeded === null
            ? t('history.noTraffic', { needed: fmt.number(o.requiredPerArm * o.arms) })
            : t('history.tooSmall', {
                reach: fmt.number(o.reach28),
                needed: fmt.number(o.requiredPerArm * o.arms),
                days: fmt.number(o.daysNeeded),
                cvr: fmt.percent(o.baselineCvr),
              })}
        </p>
      ) : (
        <p class="muted" data-testid="history-ok">
          {t('history.bigEnough', { reach: fmt.number(o.reach28), days: fmt.number(o.daysNeeded ?? 0), cvr: fmt.percent(o.baselineCvr) })}
        </p>
      )}
    </div>
  );
}
