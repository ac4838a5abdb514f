/**
 * @module
 * The change log's pure parts: which action a before/after pair is, which fields differ (what
 * the console lists as "changed"), and the list cursor. Shared by the worker and the console.
 */
import type { ChangeAction } from '../schema/changes';

/**
 * JSON with object keys sorted, so two snapshots that differ only in key order compare equal
 * (a row read back from D1 and the same value built by a route).
 * @example stableJson({b: 1, a: [2, {d: 3, c: 4}]}) // '{"a":[2,{"c":4,"d":3}],"b":1}'
 */
export function stableJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
}

/** True when both values are the same JSON (key order and `undefined` members aside). */
export const sameJson = (a: unknown, b: unknown) => stableJson(a) === stableJson(b);

/**
 * The action a write is, from what was there before and after it.
 * @example actionOf(null, {key: 'hot'}) // 'create'
 */
export function actionOf(before: unknown, after: unknown): Exclude<ChangeAction, 'restore'> {
  if (before === null || before === undefined) return 'create';
  if (after === null || after === undefined) return 'delete';
  return 'update';
}

/**
 * The top-level fields whose values differ, in the order they first appear (after's fields
 * first). A creation or deletion lists every field of the side that exists.
 * @example changedFields({name: 'A', enabled: true}, {name: 'B', enabled: true}) // ['name']
 */
export function changedFields(before: unknown, after: unknown): string[] {
  const obj = (v: unknown) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);
  const b = obj(before);
  const a = obj(after);
  if (!a && !b) return sameJson(before, after) ? [] : ['value'];
  const keys = [...new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])];
  return keys.filter((k) => !sameJson(a?.[k], b?.[k]));
}

/** Where the next page starts: the `at` (ms) and id of the last entry read. */
export interface ChangeCursor {
  at: number;
  id: string;
}

/** @example encodeChangeCursor({at: 1767225600000, id: 'chg_ab'}) // '1767225600000.chg_ab' */
export const encodeChangeCursor = (c: ChangeCursor) => `${c.at}.${c.id}`;

/** The cursor, or null when the text is not one `encodeChangeCursor` made. */
export function decodeChangeCursor(text: string): ChangeCursor | null {
  const m = /^(\d{1,15})\.([A-Za-z0-9_-]{1,64})$/.exec(text);
  if (!m) return null;
  const at = Number(m[1]);
  return Number.isSafeInteger(at) ? { at, id: m[2]! } : null;
}
