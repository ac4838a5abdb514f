/**
 * @module
 * What an attribute test means, once for every place that tests one (segment trait conditions,
 * fit points): numbers by value even when a CRM sends them as text, text case-insensitively, and
 * a missing or empty trait is unknown, so every comparison on it is false.
 */
import type { CompareOp, Scalar, TraitOp } from '../schema/config';

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

/** A number, or a string spelling one in decimal ("120"): traits from CRMs often arrive as text. */
function asNumber(v: Scalar): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && DECIMAL.test(v.trim())) return Number(v.trim());
  return null;
}

/** A trait counts as known when it has a value; an empty string from a CRM is not a value. */
function known(v: Scalar | null | undefined): v is Scalar {
  return v !== undefined && v !== null && !(typeof v === 'string' && v.trim() === '');
}

/** Equality as a marketer means it: numbers by value, text case-insensitively. */
function equalTo(want: Scalar): (v: Scalar) => boolean {
  const n = asNumber(want);
  const s = String(want).toLowerCase();
  return (v) => {
    const vn = asNumber(v);
    if (n !== null && vn !== null) return vn === n;
    return String(v).toLowerCase() === s;
  };
}

/**
 * @example compare('lte', 0.3, 0.5) // true
 */
export function compare(op: CompareOp, a: number, b: number): boolean {
  switch (op) {
    case 'eq':
      return a === b;
    case 'neq':
      return a !== b;
    case 'gt':
      return a > b;
    case 'gte':
      return a >= b;
    case 'lt':
      return a < b;
    case 'lte':
      return a <= b;
  }
}

/** Ordering: numerically when both sides are numbers, else as text (ISO dates sort right). */
function orderedAgainst(op: CompareOp, want: Scalar): (v: Scalar) => boolean {
  const n = asNumber(want);
  return (v) => {
    const vn = asNumber(v);
    if (n !== null && vn !== null) return compare(op, vn, n);
    if (n === null && vn === null && typeof v === 'string' && typeof want === 'string') {
      return compare(op, v < want ? -1 : v > want ? 1 : 0, 0);
    }
    return false;
  };
}

/**
 * The test of a trait value (undefined or null: the trait is missing) against an operator and
 * its value(s), compiled once. Shared by segment trait conditions and fit points, so an
 * attribute means the same thing wherever a marketer uses it.
 * @example traitTest('in', ['IT', 'SaaS'])('saas') // true
 * @example traitTest('gte', 50)('120') // true: numeric text compares as a number
 */
export function traitTest(op: TraitOp, value: Scalar | Scalar[] | undefined): (v: Scalar | null | undefined) => boolean {
  const values: Scalar[] = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const first = values[0];
  switch (op) {
    case 'exists':
      return known;
    case 'not_exists':
      return (v) => !known(v);
    case 'in':
    case 'not_in': {
      const tests = values.map(equalTo);
      const inList = (v: Scalar) => tests.some((t) => t(v));
      return op === 'in' ? (v) => known(v) && inList(v) : (v) => known(v) && !inList(v);
    }
    case 'contains': {
      const needles = values.map((x) => String(x).toLowerCase());
      return (v) => known(v) && needles.some((needle) => String(v).toLowerCase().includes(needle));
    }
    case 'eq':
    case 'neq': {
      if (first === undefined) return () => false;
      const eq = equalTo(first);
      return op === 'eq' ? (v) => known(v) && eq(v) : (v) => known(v) && !eq(v);
    }
    default: {
      if (first === undefined) return () => false;
      const test = orderedAgainst(op, first);
      return (v) => known(v) && test(v);
    }
  }
}
