/**
 * @module
 * A CSV import in two steps: every change of file, encoding, column mapping or "skip invalid
 * rows" checks the file again (`dryRun`, nothing stored) and shows the detected encoding, the
 * columns, the first rows as they will be stored and every problem; `runImport` then stores it.
 * A 422 still carries the report, so problems are shown rather than thrown.
 */
import { signal } from '@preact/signals';
import type { ImportReport } from '@worker/services/admin/member-import';
import { ApiFailure } from '../api/client';
import { token } from './authModel';

export type EncodingChoice = 'auto' | 'utf-8' | 'shift_jis';

/**
 * An import in progress: the file and how to read it, the last check's report, the last real
 * import's report.
 * @example const imp = createMemberImport(); await imp.chooseFile(csv); imp.report.value?.rows
 */
export function createMemberImport() {
  const file = signal<File | null>(null);
  const encoding = signal<EncodingChoice>('auto');
  /** header → trait key, or null to leave the column out; only the marketer's own choices. */
  const mapping = signal<Record<string, string | null>>({});
  const skipInvalid = signal(false);
  const report = signal<ImportReport | null>(null);
  /** The last real import's report (not a check). */
  const imported = signal<ImportReport | null>(null);
  const busy = signal<'idle' | 'checking' | 'importing'>('idle');
  const failure = signal<ApiFailure | null>(null);

  async function send(dryRun: boolean): Promise<ImportReport | null> {
    const f = file.value;
    if (!f) return null;
    const qs = new URLSearchParams({ dryRun: String(dryRun), skipInvalid: String(skipInvalid.value) });
    if (encoding.value !== 'auto') qs.set('encoding', encoding.value);
    if (Object.keys(mapping.value).length) qs.set('mapping', JSON.stringify(mapping.value));
    failure.value = null;
    let res: Response;
    try {
      res = await fetch(`/api/members/import?${qs}`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv', ...(token.value ? { authorization: `Bearer ${token.value}` } : {}) },
        body: f,
      });
    } catch {
      failure.value = new ApiFailure(0, 'network', 'network');
      return null;
    }
    const body = (await res.json().catch(() => null)) as (ImportReport & { error?: { code: string; message: string } }) | null;
    if (res.ok || (res.status === 422 && body && 'rows' in body)) return body as ImportReport;
    failure.value = new ApiFailure(res.status, body?.error?.code ?? 'http_error', body?.error?.message ?? `HTTP ${res.status}`);
    return null;
  }

  /** Checks the file as it would be imported now; stores nothing. */
  async function check(): Promise<void> {
    busy.value = 'checking';
    imported.value = null;
    try {
      report.value = await send(true);
    } finally {
      busy.value = 'idle';
    }
  }

  function chooseFile(next: File | null): Promise<void> {
    file.value = next;
    mapping.value = {};
    report.value = null;
    return check();
  }

  /** Maps a column (`undefined`: back to what the file's header says). */
  function mapColumn(header: string, trait: string | null | undefined): Promise<void> {
    const next = { ...mapping.value };
    if (trait === undefined) delete next[header];
    else next[header] = trait;
    mapping.value = next;
    return check();
  }

  /** True when the checked file can be imported as it is set up. */
  function importable(r: ImportReport | null): boolean {
    if (!r || r.columns.every((c) => c.trait !== 'member_id')) return false;
    return r.errorCount === 0 || skipInvalid.value;
  }

  async function runImport(): Promise<void> {
    busy.value = 'importing';
    try {
      const r = await send(false);
      if (r?.applied) {
        imported.value = r;
        report.value = null;
        file.value = null;
        mapping.value = {};
      } else if (r) {
        report.value = r;
      }
    } finally {
      busy.value = 'idle';
    }
  }

  return { file, encoding, mapping, skipInvalid, report, imported, busy, failure, check, chooseFile, mapColumn, importable, runImport };
}
export type MemberImport = ReturnType<typeof createMemberImport>;

/** The members screen's import, kept while the console is open (switching tabs keeps it). */
export const memberImport = createMemberImport();
