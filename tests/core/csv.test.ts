import { describe, expect, it } from 'vitest';
import { CsvReader, csvLine, parseCsv, unguardCell } from '../../worker/core/csv';
import cases from './cases/csv.json';

describe('CSV reading', () => {
  it.each(cases.read)('$name', ({ text, rows }) => {
    expect(parseCsv(text).map((r) => r.cells)).toEqual(rows);
  });

  it.each(cases.read)('$name, fed one character at a time', ({ text, rows }) => {
    const reader = new CsvReader();
    const out = [...text].flatMap((ch) => reader.push(ch));
    expect([...out, ...reader.end()].map((r) => r.cells)).toEqual(rows);
  });

  it('numbers records as Excel numbers rows, whatever the line breaks inside cells', () => {
    const records = parseCsv('id,note\r\n1,"a\r\nb"\r\n2,c\r\n');
    expect(records.map((r) => r.row)).toEqual([1, 2, 3]);
  });

  it('flags a quote never closed at the end of the file', () => {
    const records = parseCsv('id,note\n1,"open\n2,x\n');
    expect(records).toHaveLength(2);
    expect(records[1]).toMatchObject({ row: 2, unterminated: true, cells: ['1', 'open\n2,x\n'] });
  });

  it('keeps CRLF split across two chunks as one line end', () => {
    const reader = new CsvReader();
    const rows = [...reader.push('a,b\r'), ...reader.push('\n1,2\r'), ...reader.push('\n'), ...reader.end()];
    expect(rows.map((r) => r.cells)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });
});

describe('CSV writing', () => {
  it.each(cases.write)('$name', ({ cells, line }) => {
    expect(csvLine(cells)).toBe(line);
  });

  it.each(cases.unguard)('unguard $text', ({ text, value }) => {
    expect(unguardCell(text)).toBe(value);
  });

  it('round-trips any text through a line, guard removed on the way back', () => {
    const values = ['=cmd|" /C calc"!A0', 'a,b', 'say "hi"', 'l1\r\nl2', '-', '+1', '@x', '\tx', '普通の値', "'", ''];
    const [record] = parseCsv(csvLine(values));
    expect(record!.cells.map(unguardCell)).toEqual(values);
  });
});
