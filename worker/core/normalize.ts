/**
 * @module
 * Cleaning values that come from spreadsheets, CRMs and business-card tools, where the same
 * fact is typed many ways: full-width letters and digits (`ＩＴ`, `１２０名`), ideographic
 * spaces, and employee counts as picklist ranges (`50〜99名`). Unicode NFKC folds the width
 * variants (it also turns `㈱` into `(株)`), then each known trait gets its own reading.
 */

/**
 * NFKC, then trimmed (NFKC turns the ideographic space U+3000 into a plain one first).
 * @example normalizeText('　ＩＴ ') // 'IT'
 */
export function normalizeText(value: string): string {
  return value.normalize('NFKC').trim();
}

/** What people type in a cell to say "unknown"; such a cell has no value. */
const UNKNOWN = new Set(['-', '―', '不明', 'n/a', '#n/a', 'null']);

/**
 * A normalized cell, or null when it holds nothing (empty, or only an "unknown" marker).
 * @example cellValue(' 不明 ') // null
 */
export function cellValue(raw: string): string | null {
  const text = normalizeText(raw);
  if (text === '' || UNKNOWN.has(text.toLowerCase())) return null;
  return text;
}

const NUMBER = String.raw`(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(万|千)?`;
const UNIT = '(?:名|人|社員)?';
/** Range separators after NFKC: `～` has become `~`, `－` has become `-`. */
const SEP = '(?:~|〜|-|‐|‑|–|—|−|ー|から)';
const EMPLOYEES = new RegExp(
  String.raw`^(?:約|およそ|概ね)?${NUMBER}${UNIT}(?:(以上|\+)|${SEP}(?:${NUMBER}${UNIT})?)?(?:程度|ほど|位|くらい|ぐらい)?$`,
);

function toNumber(digits: string, fraction: string | undefined, multiplier: string | undefined): number | null {
  const scale = multiplier === '万' ? 10_000 : multiplier === '千' ? 1_000 : 1;
  const value = Number(`${digits.replaceAll(',', '')}${fraction ? `.${fraction}` : ''}`) * scale;
  return Number.isSafeInteger(value) ? value : null;
}

/**
 * A number of employees from what people type: digits in any width, with `名`/`人`, thousands
 * separators, `万`/`千`, "about" (`約`), an open range (`100名以上`, `100~`) or a range, which
 * gives its lower bound (`50〜99名` → 50). Null when it is not a head count (e.g. `50名未満`,
 * whose lower bound is not written).
 * @example parseEmployees('１２０名') // 120
 * @example parseEmployees('50〜99名') // 50
 */
export function parseEmployees(raw: string): number | null {
  const text = normalizeText(raw).replace(/\s+/g, '');
  const m = EMPLOYEES.exec(text);
  if (!m) return null;
  const low = toNumber(m[1]!, m[2], m[3]);
  if (low === null) return null;
  if (m[5] === undefined) return low;
  const high = toNumber(m[5], m[6], m[7]);
  return high === null ? null : Math.min(low, high);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * An e-mail address with its domain in lower case, or null when it is not one.
 * @example normalizeEmail('Taro@Example.CO.JP') // 'Taro@example.co.jp'
 */
export function normalizeEmail(raw: string): string | null {
  const text = normalizeText(raw);
  if (!EMAIL.test(text)) return null;
  const at = text.lastIndexOf('@');
  return `${text.slice(0, at)}@${text.slice(at + 1).toLowerCase()}`;
}
