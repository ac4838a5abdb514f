/**
 * @module
 * The horizontal grid lines of the console's line charts, each labelled with its value at the
 * left edge (the member's score chart, a segment's history).
 *
 * @example <ChartTicks values={[0, 50, 100]} y={g.y} box={BOX} />
 */
import { fmt } from '../i18n/catalogue';

export interface ChartBox {
  width: number;
  height: number;
  pad: { top: number; right: number; bottom: number; left: number };
}

export function ChartTicks({ values, y, box }: { values: number[]; y: (v: number) => number; box: ChartBox }) {
  return (
    <>
      {values.map((v) => (
        <g key={v} class="tick">
          <line x1={box.pad.left} x2={box.width - box.pad.right} y1={y(v)} y2={y(v)} />
          <text x={box.pad.left - 6} y={y(v) + 4} text-anchor="end">
            {fmt.number(v)}
          </text>
        </g>
      ))}
    </>
  );
}
