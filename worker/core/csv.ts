/**
 * @module
 * CSV as Excel writes and reads it (RFC 4180): comma-separated cells, quoted cells with `""`
 * for a quote and line breaks inside, CRLF, LF or CR line ends, a byte order mark in front.
 *
 * The reader is incremental (`push` text as it is decoded, `end` at the end of the file), so an
 * import never holds the whole file. The writer guards cells against formula injection: a cell
 * a spreadsheet would run as a formula gets a leading `'`, which Excel shows as plain text.
 */

/** One record of the file. `row` counts records from 1 (the header), as Excel numbers rows. */
export interface CsvRecord {
  row: number;
  cells: string[];
  /** The file ended inside a quoted cell: this record swallowed the rest of the file. */
  unterminated?: true;
}

const QUOTE = 34; // "
const COMMA = 44; // ,
const CR = 13;
const LF = 10;

/**
 * Incremental CSV reader: feed decoded text in chunks of any size (a quote, CRLF or a cell may
 * straddle two chunks); it returns the records completed so far.
 * @example
 *   const reader = new CsvReader();
 *   reader.push('id,name\r\n1,"a, b"\r\n2,"say ""hi"""'); // [{row: 1, cells: ['id', 'name']}, {row: 2, cells: ['1', 'a, b']}]
 *   reader.end(); // [{row: 3, cells: ['2', 'say "hi"']}]
 */
export class CsvReader {
  private cells: string[] = [];
  private cell = '';
  /** Inside a quoted cell. */
  private quoted = false;
  /** Inside a quoted cell, just after a quote: either `""` (a quote) or the end of the quotes. */
  private quoteSeen = false;
  /** A CR ended the last record; an LF right after it belongs to the same line end. */
  private afterCr = false;
  /** Anything read since the last record ended (so a file's last line needs no line end). */
  private dirty = false;
  private started = false;
  private row = 0;

  push(text: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    let i = 0;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) i = 1;
    }
    const n = text.length;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (this.afterCr) {
        this.afterCr = false;
        if (c === LF) {
          i++;
          continue;
        }
      }
      if (this.quoted) {
        if (this.quoteSeen) {
          this.quoteSeen = false;
          if (c === QUOTE) {
            this.cell += '"';
            i++;
            continue;
          }
          this.quoted = false; // the closing quote; fall through to read c unquoted
        } else {
          // Copy the run up to the next quote in one slice: quoted cells may be long.
          const next = text.indexOf('"', i);
          if (next === -1) {
            this.cell += text.slice(i);
            i = n;
            continue;
          }
          this.cell += text.slice(i, next);
          this.quoteSeen = true;
          i = next + 1;
          continue;
        }
      }
      this.dirty = true;
      if (c === COMMA) {
        this.cells.push(this.cell);
        this.cell = '';
        i++;
      } else if (c === CR || c === LF) {
        out.push(this.finish());
        this.afterCr = c === CR;
        i++;
      } else if (c === QUOTE && this.cell === '') {
        this.quoted = true;
        i++;
      } else {
        // A quote in the middle of an unquoted cell is kept as it is, as Excel does.
        let j = i + 1;
        while (j < n) {
          const d = text.charCodeAt(j);
          if (d === COMMA || d === CR || d === LF) break;
          j++;
        }
        this.cell += text.slice(i, j);
        i = j;
      }
    }
    return out;
  }

  /** Ends the file: returns the last record if it had no line end. */
  end(): CsvRecord[] {
    if (this.quoted && !this.quoteSeen) {
      const record = this.finish();
      return [{ ...record, unterminated: true }];
    }
    if (this.dirty || this.cell !== '' || this.quoted) return [this.finish()];
    return [];
  }

  private finish(): CsvRecord {
    this.cells.push(this.cell);
    const record: CsvRecord = { row: ++this.row, cells: this.cells };
    this.cells = [];
    this.cell = '';
    this.quoted = false;
    this.quoteSeen = false;
    this.dirty = false;
    return record;
  }
}

/**
 * Reads a whole CSV text (tests, small files).
 * @example parseCsv('a,b\n1,2\n').map((r) => r.cells) // [['a', 'b'], ['1', '2']]
 */
export function parseCsv(text: string): CsvRecord[] {
  const reader = new CsvReader();
  return [...reader.push(text), ...reader.end()];
}

/** First characters that make a spreadsheet read a cell as a formula (OWASP's list). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A cell as text a spreadsheet will not run: one starting with `=`, `+`, `-`, `@`, a tab or a
 * CR gets a leading `'`.
 * @example guardCell('=HYPERLINK("http://x")') // "'=HYPERLINK(\"http://x\")"
 */
export function guardCell(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * Undoes `guardCell` on import, so a file exported here comes back with the same values: a
 * leading `'` is dropped only where `guardCell` would have added it.
 * @example unguardCell("'=1+1") // '=1+1'
 * @example unguardCell("'quoted") // "'quoted"
 */
export function unguardCell(text: string): string {
  return text.length > 1 && text.charCodeAt(0) === 39 && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text;
}

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV line (CRLF-terminated, as Excel writes them) from cell values; `null` is an empty
 * cell. Text cells are guarded (`guardCell`); numbers are written as they are, so a negative
 * number stays a number. Cells holding a quote, comma or line break are quoted.
 * @example csvLine(['m-1', 42, null, 'a, b']) // 'm-1,42,,"a, b"\r\n'
 */
export function csvLine(cells: readonly (string | number | boolean | null | undefined)[]): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    const value = cells[i];
    const text =
      value === null || value === undefined
        ? ''
        : typeof value === 'string'
          ? guardCell(value)
          : typeof value === 'number' && !Number.isFinite(value)
            ? ''
            : String(value);
    if (i > 0) line += ',';
    line += NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  }
  return `${line}\r\n`;
}
