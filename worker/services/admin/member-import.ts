/**
 * @module
 * `POST /api/members/import`: a CSV file (UTF-8, UTF-8 with BOM or Shift_JIS) to member traits.
 *
 * The body is streamed: bytes are decoded and parsed as they arrive, rows are checked and
 * compared with the stored members in batches, and memory does not grow with the file (only the
 * set of ids seen, to catch an id twice, grows with the rows, which are capped). Nothing reaches
 * `members` until the whole file has been read: rows that would change something are staged in
 * `member_import_rows`, then applied in batches once the file proved valid (or `skipInvalid`
 * was asked), or dropped. Re-sending a file is safe: rows already applied compare `unchanged`
 * and are not written again, so an import cut off half-way is resumed by sending it again.
 *
 * Encoding: a UTF-8 BOM means UTF-8; otherwise the first MiB decides (valid UTF-8 → UTF-8, else
 * Windows-31J); `encoding=` overrides. Bytes past that MiB that the chosen decoder cannot read
 * make their row invalid (`undecodable`) instead of turning silently into U+FFFD in a trait.
 */
import { CsvReader, type CsvRecord } from '../../core/csv';
import {
  importEffect,
  importRow,
  isBlank,
  planColumns,
  type ColumnPlan,
  type ImportColumn,
  type ImportedRow,
  type ImportedValue,
  type ImportError,
  type Mapping,
} from '../../core/member-import';
import { ApiError } from '../../errors';
import { parseJsonColumn } from '../../lib/json-column';
import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, type CsvEncoding } from '../../schema/members';
import { erasedSince, memberSubject, tombstoneKey } from '../tombstones';
import type { ServiceContext } from '../context';

/** Bytes read before the encoding is decided (the whole file when it is smaller). */
export const DETECT_BYTES = 1024 * 1024;
/** Errors listed in a report at most; `errorCount` has them all. */
export const MAX_ERRORS = 1_000;
const PREVIEW_ROWS = 10;
/** Rows per lookup / staging statement: one JSON parameter, far below D1's 1 MB per value. */
const BATCH_ROWS = 1_000;
const BATCH_BYTES = 256 * 1024;
/** Staged rows applied per D1 batch. */
const APPLY_ROWS = 5_000;
/** Staged rows of an import that never finished are pruned after this. */
const STAGING_TTL_MS = 86_400_000;

export type ImportStatus = 'created' | 'updated' | 'unchanged';

export interface ImportPreviewRow {
  row: number;
  memberId: string;
  traits: Record<string, ImportedValue>;
  status: ImportStatus;
}

export interface ImportReport {
  encoding: CsvEncoding;
  /** Data rows in the file (blank rows not counted). */
  rows: number;
  columns: ImportColumn[];
  created: number;
  updated: number;
  unchanged: number;
  /** Invalid rows left out (with `skipInvalid`), or that would be (without). */
  skipped: number;
  errors: ImportError[];
  errorCount: number;
  /** The first rows as they will be stored. */
  preview: ImportPreviewRow[];
  dryRun: boolean;
  /** False when nothing was written because of `errors` (the 422). */
  applied: boolean;
}

export interface ImportOptions {
  dryRun: boolean;
  skipInvalid: boolean;
  encoding?: CsvEncoding;
  mapping?: Mapping;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/**
 * The encoding of a file from its first bytes (`complete`: they are the whole file).
 * @example detectEncoding(new TextEncoder().encode('会員ID'), true) // 'utf-8'
 */
export function detectEncoding(head: Uint8Array, complete: boolean): CsvEncoding {
  if (UTF8_BOM.every((b, i) => head[i] === b)) return 'utf-8';
  try {
    // `stream` leaves a multi-byte character cut at the end of the head undecided, not invalid.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: !complete });
    return 'utf-8';
  } catch {
    return 'shift_jis';
  }
}

function tooLarge(message: string): ApiError {
  return new ApiError(413, 'payload_too_large', message);
}

/** Reads a body stream, never more than MAX_IMPORT_BYTES. */
async function* chunks(body: ReadableStream<Uint8Array> | null): AsyncGenerator<Uint8Array> {
  if (!body) return;
  const reader = body.getReader();
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      size += value.byteLength;
      if (size > MAX_IMPORT_BYTES) throw tooLarge(`A file can be at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB`);
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

interface Batch {
  members: ImportedRow[];
  bytes: number;
}

/** State of one import while the file streams through. */
class Importer {
  readonly report: ImportReport;
  private plan: ColumnPlan | null = null;
  private readonly seen = new Map<string, number>();
  private batch: Batch = { members: [], bytes: 0 };
  /** Staged rows so far, and the row number after every APPLY_ROWS of them. */
  private staged = 0;
  private readonly boundaries: number[] = [];
  private lastStagedRow = 0;
  readonly importId = crypto.randomUUID();

  constructor(
    private readonly d1: D1Database,
    private readonly opts: ImportOptions,
    private readonly now: number,
    encoding: CsvEncoding,
  ) {
    this.report = {
      encoding,
      rows: 0,
      columns: [],
      created: 0,
      updated: 0,
      unchanged: 0,
      skipped: 0,
      errors: [],
      errorCount: 0,
      preview: [],
      dryRun: opts.dryRun,
      applied: false,
    };
  }

  private error(e: ImportError): void {
    this.report.errorCount++;
    if (this.report.errors.length < MAX_ERRORS) this.report.errors.push(e);
  }

  /** Rows are staged only while the import can still be applied. */
  private get staging(): boolean {
    return !this.opts.dryRun && (this.opts.skipInvalid || this.report.errorCount === 0) && this.plan?.idIndex !== -1;
  }

  async record(record: CsvRecord): Promise<void> {
    if (!this.plan) {
      this.plan = planColumns(record.cells, this.opts.mapping);
      this.report.columns = this.plan.columns;
      for (const e of this.plan.errors) this.error(e);
      return;
    }
    if (isBlank(record.cells)) return;
    this.report.rows++;
    if (this.report.rows > MAX_IMPORT_ROWS) throw tooLarge(`A file can have at most ${MAX_IMPORT_ROWS.toLocaleString('en')} rows`);
    if (this.plan.idIndex === -1) return;
    if (record.unterminated) {
      this.report.skipped++;
      this.error({
        row: record.row,
        code: 'unterminated_quote',
        message: 'A quoted cell is never closed: the rest of the file is inside it',
      });
      return;
    }
    const result = importRow(record.row, record.cells, this.plan);
    if (!result.ok) {
      this.report.skipped++;
      for (const e of result.errors) this.error(e);
      return;
    }
    const first = this.seen.get(result.member.memberId);
    if (first !== undefined) {
      this.report.skipped++;
      this.error({
        row: record.row,
        column: this.plan.columns[this.plan.idIndex]!.header,
        code: 'duplicate_id',
        message: `Member id "${result.member.memberId}" is also on row ${first}`,
      });
      return;
    }
    this.seen.set(result.member.memberId, record.row);
    this.batch.members.push(result.member);
    this.batch.bytes += JSON.stringify(result.member.traits).length + result.member.memberId.length + 80;
    if (this.batch.members.length >= BATCH_ROWS || this.batch.bytes >= BATCH_BYTES) await this.flush();
  }

  /** Compares a batch with the stored members, counts it, and stages what would change. */
  async flush(): Promise<void> {
    const members = this.batch.members;
    this.batch = { members: [], bytes: 0 };
    if (members.length === 0) return;
    const { results } = await this.d1
      .prepare('SELECT id, traits FROM members WHERE id IN (SELECT value FROM json_each(?1))')
      .bind(JSON.stringify(members.map((m) => m.memberId)))
      .all<{ id: string; traits: string | null }>();
    const existing = new Map(results.map((r) => [r.id, parseJsonColumn<Record<string, unknown>>(r.traits, {})]));
    const changed: ImportedRow[] = [];
    for (const m of members) {
      const status = importEffect(existing.get(m.memberId) ?? null, m.traits);
      this.report[status]++;
      if (status !== 'unchanged') changed.push(m);
      if (this.report.preview.length < PREVIEW_ROWS)
        this.report.preview.push({ row: m.row, memberId: m.memberId, traits: m.traits, status });
    }
    if (!this.staging || changed.length === 0) return;
    const keys = await Promise.all(changed.map((m) => tombstoneKey(memberSubject(m.memberId))));
    const rows = changed.map((m, i) => [m.row, m.memberId, JSON.stringify(m.traits), keys[i]]);
    await this.d1
      .prepare(
        `INSERT INTO member_import_rows (import_id, row, member_id, traits, subject_key, created_at)
         SELECT ?1, json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]'), ?2
         FROM json_each(?3)`,
      )
      .bind(this.importId, this.now, JSON.stringify(rows))
      .run();
    for (const m of changed) {
      this.staged++;
      this.lastStagedRow = m.row;
      if (this.staged % APPLY_ROWS === 0) this.boundaries.push(m.row);
    }
  }

  /**
   * Applies the staged rows (traits merged into the stored ones, as a CRM sync does), skipping
   * members erased while this import ran, and drops the staging rows.
   */
  async apply(): Promise<void> {
    const ranges: [number, number][] = [];
    let from = 0;
    for (const to of [...this.boundaries, this.lastStagedRow]) {
      if (to > from) ranges.push([from, to]);
      from = to;
    }
    const since = erasedSince(this.now);
    for (const [low, high] of ranges) {
      await this.d1.batch([
        this.d1
          .prepare(
            `INSERT INTO members (id, traits, updated_at)
             SELECT s.member_id, s.traits, ?4 FROM member_import_rows s
             WHERE s.import_id = ?1 AND s.row > ?2 AND s.row <= ?3
               AND NOT EXISTS (SELECT 1 FROM tombstones t WHERE t.subject = s.subject_key AND t.at >= ?5)
             ON CONFLICT(id) DO UPDATE SET traits = json_patch(members.traits, excluded.traits), updated_at = excluded.updated_at`,
          )
          .bind(this.importId, low, high, this.now, since),
        this.d1.prepare('DELETE FROM member_import_rows WHERE import_id = ?1 AND row > ?2 AND row <= ?3').bind(this.importId, low, high),
      ]);
    }
    this.report.applied = true;
  }

  async discard(): Promise<void> {
    if (this.staged > 0) await this.d1.prepare('DELETE FROM member_import_rows WHERE import_id = ?1').bind(this.importId).run();
  }

  /** True when the file as read can be applied (or previewed as applicable). */
  get acceptable(): boolean {
    if (!this.plan || this.plan.idIndex === -1) return false;
    return this.opts.skipInvalid || this.report.errorCount === 0;
  }

  finishHeader(): void {
    if (!this.plan) this.error({ row: 1, code: 'missing_id_column', message: 'The file is empty: the first row must name the columns' });
  }
}

/**
 * Reads, checks and (unless `dryRun`, and only when valid or `skipInvalid`) imports a CSV body.
 * `ok` is false when errors keep the file out (the route answers 422): nothing was written.
 * @example const { report, ok } = await importMembers(c.var.svc, c.req.raw.body, {dryRun: true, skipInvalid: false})
 */
export async function importMembers(
  { d1, now }: Pick<ServiceContext, 'd1' | 'now'>,
  body: ReadableStream<Uint8Array> | null,
  opts: ImportOptions,
): Promise<{ report: ImportReport; ok: boolean }> {
  await d1
    .prepare('DELETE FROM member_import_rows WHERE created_at < ?1')
    .bind(now - STAGING_TTL_MS)
    .run();
  const stream = chunks(body);
  // Hold the first MiB (or the whole file, when smaller) to decide the encoding.
  const head: Uint8Array[] = [];
  let headBytes = 0;
  let ended = false;
  while (headBytes < DETECT_BYTES) {
    const next = await stream.next();
    if (next.done) {
      ended = true;
      break;
    }
    head.push(next.value);
    headBytes += next.value.byteLength;
  }
  const joined = new Uint8Array(headBytes);
  let offset = 0;
  for (const c of head) {
    joined.set(c, offset);
    offset += c.byteLength;
  }
  const encoding = opts.encoding ?? detectEncoding(joined, ended);
  const importer = new Importer(d1, opts, now, encoding);
  const decoder = new TextDecoder(encoding);
  const reader = new CsvReader();
  try {
    const feed = async (records: CsvRecord[]) => {
      for (const r of records) await importer.record(r);
    };
    await feed(reader.push(decoder.decode(joined, { stream: true })));
    if (!ended) for await (const chunk of stream) await feed(reader.push(decoder.decode(chunk, { stream: true })));
    await feed(reader.push(decoder.decode()));
    await feed(reader.end());
    importer.finishHeader();
    await importer.flush();
    if (!opts.dryRun && importer.acceptable) await importer.apply();
    else await importer.discard();
  } catch (err) {
    await importer.discard();
    throw err;
  }
  return { report: importer.report, ok: importer.acceptable };
}
