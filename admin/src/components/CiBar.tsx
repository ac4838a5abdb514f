/**
 * @module
 * A 95 % confidence interval drawn as a horizontal bar on a scale shared by every row of a
 * table, with the point estimate as a dot and a reference mark (the control's CVR, or 0 for a
 * lift). The numbers are in the label, so the bar is decoration for sighted readers only.
 */
import { ciGeometry } from '../models/resultsModel';

export interface CiBarProps {
  ci: [number, number];
  /** The point estimate. */
  value: number;
  /** The scale, shared by the rows being compared: [0, max] for CVRs, [−m, m] for lifts. */
  domain: [number, number];
  /** The reference mark: control's CVR, or 0 for a lift. */
  marker?: number | null;
  /** What a screen reader says, e.g. "CVR 7.27%, 95% CI 5.82% – 9.06%". */
  label: string;
  tone?: 'primary' | 'control' | 'ok' | 'hot' | 'muted';
  width?: number;
}

const HEIGHT = 20;

export function CiBar({ ci, value, domain, marker = null, label, tone = 'primary', width = 160 }: CiBarProps) {
  const g = ciGeometry(ci, value, domain, width, marker);
  const mid = HEIGHT / 2;
  return (
    <svg class={`ci-bar ci-${tone}`} width={width} height={HEIGHT} viewBox={`0 0 ${width} ${HEIGHT}`} role="img" aria-label={label}>
      <line class="ci-track" x1={0} x2={width} y1={mid} y2={mid} />
      {g.marker !== null && <line class="ci-marker" x1={g.marker} x2={g.marker} y1={1} y2={HEIGHT - 1} />}
      <rect class="ci-range" x={g.x1} y={mid - 4} width={Math.max(1, g.x2 - g.x1)} height={8} rx={4} />
      <circle class="ci-point" cx={g.cx} cy={mid} r={4} />
    </svg>
  );
}
