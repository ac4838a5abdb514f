/**
 * @module
 * From a CSV's header and rows to members: which column is which trait (Japanese and English
 * header aliases, or the marketer's own mapping), and each row to `{memberId, traits}` with its
 * values normalized, or to the reasons it cannot be imported. Pure: the worker streams rows in
 * and decides what to store.
 */
import { unguardCell } from './csv';
import { cellValue, normalizeEmail, normalizeText, parseEmployees } from './normalize';

/** The column that names the member. */
export const MEMBER_ID = 'member_id';

/** Trait keys are slugs (the same rule as segment keys and conditions' trait names). */
export const TRAIT_KEY = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Longest trait text (the trait schema's limit). */
export const MAX_TRAIT_TEXT = 200;
const MAX_MEMBER_ID = 128;
/** No spaces, slashes, control or invisible characters: the server API's member id rule. */
const MEMBER_ID_CHARS = /^[^\s/\p{Cc}\p{Cf}]+$/u;

/** Header (NFKC, lower case) → trait key. */
const ALIASES: Record<string, string> = {
  member_id: MEMBER_ID,
  id: MEMBER_ID,
  会員id: MEMBER_ID,
  会員番号: MEMBER_ID,
  company: 'company',
  会社名: 'company',
  企業名: 'company',
  社名: 'company',
  industry: 'industry',
  業種: 'industry',
  業界: 'industry',
  employees: 'employees',
  従業員数: 'employees',
  従業員規模: 'employees',
  社員数: 'employees',
  department: 'department',
  部署: 'department',
  部署名: 'department',
  部門: 'department',
  role: 'role',
  役職: 'role',
  region: 'region',
  地域: 'region',
  都道府県: 'region',
  email: 'email',
  'e-mail': 'email',
  メールアドレス: 'email',
  メール: 'email',
};

/** Why a cell, row or column cannot be imported; the console words each code in its language. */
export type ImportErrorCode =
  | 'missing_id_column'
  | 'unknown_column'
  | 'duplicate_column'
  | 'invalid_mapping'
  | 'missing_id'
  | 'invalid_id'
  | 'duplicate_id'
  | 'invalid_employees'
  | 'invalid_email'
  | 'too_long'
  | 'too_many_cells'
  | 'unterminated_quote'
  | 'undecodable';

export interface ImportError {
  /** The row as Excel numbers it (the header is row 1). */
  row: number;
  column?: string;
  code: ImportErrorCode;
  message: string;
}

export interface ImportColumn {
  header: string;
  /** The trait this column fills, `member_id` for the id, null when it is left out. */
  trait: string | null;
}

export interface ColumnPlan {
  columns: ImportColumn[];
  /** Index of the member id column; -1 when there is none (nothing can be imported). */
  idIndex: number;
  errors: ImportError[];
}

/** header (as in the file, trimmed) → trait key, or null/"" to leave the column out. */
export type Mapping = Record<string, string | null>;

/**
 * Which trait each column fills: the mapping first, then the aliases, then the header itself
 * when it is already a trait key. Unknown and repeated targets are reported on row 1.
 * @example planColumns(['会員ID', '会社名', '従業員数'], {}).columns.map((c) => c.trait) // ['member_id', 'company', 'employees']
 */
export function planColumns(headers: readonly string[], mapping: Mapping = {}): ColumnPlan {
  const errors: ImportError[] = [];
  const seen = new Map<string, string>();
  const columns = headers.map((raw): ImportColumn => {
    const header = normalizeText(raw);
    const mapped = Object.hasOwn(mapping, header) ? mapping[header] : Object.hasOwn(mapping, raw) ? mapping[raw] : undefined;
    let trait: string | null;
    if (mapped !== undefined) {
      trait = mapped === null || mapped === '' ? null : mapped;
      if (trait !== null && trait !== MEMBER_ID && !TRAIT_KEY.test(trait)) {
        errors.push({
          row: 1,
          column: header,
          code: 'invalid_mapping',
          message: `"${trait}" is not a trait key (lowercase letters, digits, "_" or "-")`,
        });
        trait = null;
      }
    } else if (header === '') {
      trait = null;
    } else {
      const key = header.toLowerCase();
      trait = ALIASES[key] ?? (TRAIT_KEY.test(key) ? key : null);
      if (trait === null) {
        errors.push({
          row: 1,
          column: header,
          code: 'unknown_column',
          message: `Column "${header}" is not a known trait: map it to a trait key or leave it out`,
        });
      }
    }
    if (trait !== null) {
      const first = seen.get(trait);
      if (first !== undefined) {
        errors.push({
          row: 1,
          column: header,
          code: 'duplicate_column',
          message: `Columns "${first}" and "${header}" both fill "${trait}"`,
        });
        trait = null;
      } else {
        seen.set(trait, header);
      }
    }
    return { header, trait };
  });
  const idIndex = columns.findIndex((c) => c.trait === MEMBER_ID);
  if (idIndex === -1) {
    errors.push({
      row: 1,
      code: 'missing_id_column',
      message: 'No member id column: name one "member_id", "id" or "会員ID", or map one to member_id',
    });
  }
  return { columns, idIndex, errors };
}

export type ImportedValue = string | number;

export interface ImportedRow {
  row: number;
  memberId: string;
  traits: Record<string, ImportedValue>;
}

export type RowResult = { ok: true; member: ImportedRow } | { ok: false; errors: ImportError[] };

/** A record with no value in any cell (Excel leaves such rows at the end of a sheet). */
export function isBlank(cells: readonly string[]): boolean {
  return cells.every((c) => c.trim() === '');
}

/**
 * One data row to a member id and normalized traits (NFKC + trim; `employees` as a number;
 * `email` checked; a cell that is empty or says "unknown" sets nothing), or every reason it
 * cannot be imported.
 * @example importRow(2, ['m-1', 'ＩＴ', '50〜99名'], planColumns(['id', 'industry', 'employees'])) // {ok: true, member: {row: 2, memberId: 'm-1', traits: {industry: 'IT', employees: 50}}}
 */
export function importRow(row: number, cells: readonly string[], plan: ColumnPlan): RowResult {
  const errors: ImportError[] = [];
  const traits: Record<string, ImportedValue> = {};
  let memberId: string | null = null;
  const extra = cells.slice(plan.columns.length).findIndex((c) => c.trim() !== '');
  if (extra !== -1) {
    errors.push({
      row,
      code: 'too_many_cells',
      message: `Row has a value in column ${plan.columns.length + extra + 1}, past the last header`,
    });
  }
  plan.columns.forEach((column, i) => {
    if (column.trait === null) return;
    const raw = cells[i] ?? '';
    if (raw.includes('\uFFFD')) {
      errors.push({ row, column: column.header, code: 'undecodable', message: 'Bytes that are not valid in the file’s encoding' });
      return;
    }
    const text = cellValue(unguardCell(raw));
    if (column.trait === MEMBER_ID) {
      if (text === null) errors.push({ row, column: column.header, code: 'missing_id', message: 'No member id' });
      else if (text.length > MAX_MEMBER_ID || !MEMBER_ID_CHARS.test(text)) {
        errors.push({
          row,
          column: column.header,
          code: 'invalid_id',
          message: 'A member id is at most 128 characters with no spaces, slashes or control characters',
        });
      } else memberId = text;
      return;
    }
    if (text === null) return;
    if (column.trait === 'employees') {
      const n = parseEmployees(text);
      if (n === null)
        errors.push({ row, column: column.header, code: 'invalid_employees', message: `"${text}" is not a number of employees` });
      else traits.employees = n;
      return;
    }
    if (column.trait === 'email') {
      const email = normalizeEmail(text);
      if (email === null) errors.push({ row, column: column.header, code: 'invalid_email', message: `"${text}" is not an e-mail address` });
      else if (email.length > MAX_TRAIT_TEXT)
        errors.push({ row, column: column.header, code: 'too_long', message: `At most ${MAX_TRAIT_TEXT} characters` });
      else traits.email = email;
      return;
    }
    if (text.length > MAX_TRAIT_TEXT) {
      errors.push({ row, column: column.header, code: 'too_long', message: `At most ${MAX_TRAIT_TEXT} characters` });
      return;
    }
    traits[column.trait] = text;
  });
  if (errors.length > 0 || memberId === null) return { ok: false, errors };
  return { ok: true, member: { row, memberId, traits } };
}

/**
 * A stored value the imported one would not change. A CSV cell is text, so a stored number or
 * boolean equals its own spelling (`-3` and "-3", `true` and "true"; segments compare them alike
 * too): exporting and importing back does not rewrite them.
 */
function sameValue(stored: unknown, imported: ImportedValue): boolean {
  if (stored === imported) return true;
  const typed = (v: unknown) => typeof v === 'number' || typeof v === 'boolean';
  return (typed(stored) || typed(imported)) && (typeof stored === 'string' || typed(stored)) && String(stored) === String(imported);
}

/**
 * What an import changes for one member: `created` (no such member), `unchanged` (every
 * imported trait already has that value) or `updated`. Traits not in the file are kept.
 * @example importEffect({industry: 'IT', plan: 'pro'}, {industry: 'IT'}) // 'unchanged'
 */
export function importEffect(
  existing: Record<string, unknown> | null,
  traits: Record<string, ImportedValue>,
): 'created' | 'updated' | 'unchanged' {
  if (existing === null) return 'created';
  for (const [key, value] of Object.entries(traits)) {
    if (!Object.hasOwn(existing, key) || !sameValue(existing[key], value)) return 'updated';
  }
  return 'unchanged';
}
