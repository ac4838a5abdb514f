// The console's words in both languages (the browser loads one language chunk at a time).
import '../../admin/src/i18n/all';
import { describe, expect, it } from 'vitest';
import { historyGeometry, sizeChange } from '../../admin/src/lib/historyChart';

const BOX = { width: 110, height: 100, pad: { top: 0, right: 10, bottom: 0, left: 0 } };
const rows = [
  { date: '2026-11-01', size: 10, entered: 10, exited: 0 },
  { date: '2026-11-02', size: 5, entered: 0, exited: 5 },
  { date: '2026-11-03', size: 0, entered: 0, exited: 5 },
];

describe('segment history chart', () => {
  it('draws the size line from the largest size at the top to 0 above the entries/exits band', () => {
    const g = historyGeometry(rows, BOX);
    expect(g.yMax).toBe(10);
    expect(g.path.startsWith('M0.0,0.0 L50.0,')).toBe(true);
    expect(g.y(0)).toBeLessThan(100 * (1 - 0.28));
    expect(g.x(2)).toBe(100);
  });
  it('puts entries above and exits below the band middle, scaled to the largest move', () => {
    const g = historyGeometry(rows, BOX);
    expect(g.bars.map((b) => [b.date, b.kind, b.n])).toEqual([
      ['2026-11-01', 'entered', 10],
      ['2026-11-02', 'exited', 5],
      ['2026-11-03', 'exited', 5],
    ]);
    const [up, down] = g.bars;
    expect(up!.y + up!.height).toBeCloseTo(down!.y, 6);
    expect(down!.height).toBeCloseTo(up!.height / 2, 6);
  });
  it('one day is a point in the middle; no days is an empty path', () => {
    expect(historyGeometry(rows.slice(0, 1), BOX).path).toBe('M50.0,0.0');
    expect(historyGeometry([], BOX).path).toBe('');
  });
  it('says the change over a week, or nothing without two days', () => {
    const sizes = [3, 4, 5, 6, 7, 8, 9, 12, 15].map((size) => ({ size }));
    expect(sizeChange(sizes, 7)).toBe(15 - 4);
    expect(sizeChange(sizes.slice(0, 3), 7)).toBe(2);
    expect(sizeChange(sizes.slice(0, 1), 7)).toBeNull();
  });
});
