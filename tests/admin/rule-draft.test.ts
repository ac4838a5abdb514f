// The console's words in both languages (the browser loads one language chunk at a time).
import '../../admin/src/i18n/all';
import { describe, expect, it } from 'vitest';
import { Condition } from '../../worker/schema/config';
import {
  CONDITION_TYPES,
  newCondition,
  parseDays,
  parsePercent,
  parseScalar,
  parseTraitValue,
  ratioPercent,
  traitValueText,
  withTraitOp,
} from '../../admin/src/lib/ruleDraft';
import { toFieldErrors, errorUnder } from '../../admin/src/lib/issues';
import { moved } from '../../admin/src/models/segmentsModel';

describe('rule builder helpers', () => {
  it.each(CONDITION_TYPES.filter((t) => t !== 'trait' && t !== 'propensity'))(
    'a new %s condition is valid for the shared schema',
    (type) => {
      expect(Condition.safeParse(newCondition(type)).success).toBe(true);
    },
  );
  it('a new likelihood condition needs a model before it is valid', () => {
    const c = newCondition('propensity');
    expect(Condition.safeParse(c).success).toBe(false);
    expect(Condition.safeParse({ ...c, model: 'inquiry' }).success).toBe(true);
  });
  it('a new attribute condition needs a name before it is valid', () => {
    const c = newCondition('trait');
    expect(Condition.safeParse(c).success).toBe(false);
    expect(Condition.safeParse({ ...c, trait: 'industry', value: 'IT' }).success).toBe(true);
  });
  it.each([
    ['50', 50],
    [' SaaS ', 'SaaS'],
    ['-3.5', -3.5],
    ['1e3', '1e3'],
    ['', ''],
  ])('parseScalar(%j) → %j', (text, want) => {
    expect(parseScalar(text)).toEqual(want);
  });
  it('parses lists with ASCII and Japanese commas', () => {
    expect(parseTraitValue('IT, SaaS', 'in')).toEqual(['IT', 'SaaS']);
    expect(parseTraitValue('IT、SaaS，50', 'not_in')).toEqual(['IT', 'SaaS', 50]);
    expect(parseTraitValue('anything', 'exists')).toBeUndefined();
    expect(parseTraitValue('50', 'gte')).toBe(50);
  });
  it('keeps values when the operator changes', () => {
    const c = { type: 'trait' as const, trait: 'industry', op: 'in' as const, value: ['IT', 'SaaS'] };
    expect(traitValueText(c)).toBe('IT, SaaS');
    expect(withTraitOp(c, 'eq').value).toBe('IT, SaaS');
    expect(withTraitOp(withTraitOp(c, 'eq'), 'in').value).toEqual(['IT', 'SaaS']);
  });
  it('reads an empty window as "all time"', () => {
    expect(parseDays('')).toBeNull();
    expect(parseDays('7')).toBe(7);
    expect(parseDays('x')).toBeNaN();
  });
});

describe('field errors', () => {
  it('keys issues by path and finds errors under a row', () => {
    const errors = toFieldErrors([
      { path: ['key'], code: 'custom', params: { reason: 'duplicate' }, message: 'A segment with key "x" already exists' },
      {
        path: ['rule', 'conditions', 2, 'count'],
        code: 'too_small',
        params: { origin: 'number', minimum: 0, inclusive: true },
        message: 'Too small',
      },
      { path: ['key'], code: 'too_small', params: { origin: 'string', minimum: 1 }, message: 'second issue is dropped' },
    ]);
    expect(errors).toEqual({ key: 'This is already in use. Choose another.', 'rule.conditions.2.count': 'Enter 0 or more.' });
    expect(errorUnder(errors, 'rule.conditions.2')).toBe('Enter 0 or more.');
    expect(errorUnder(errors, 'rule.conditions.1')).toBeUndefined();
  });
});

describe('trend ratio as a percentage', () => {
  it.each([
    [0.5, 50],
    [0.07, 7],
    [1 / 3, 33.3],
    [2, 200],
    [0, 0],
  ])('ratioPercent(%d) → %d', (ratio, percent) => {
    expect(ratioPercent(ratio)).toBe(percent);
  });
  it('reads what the marketer typed back into a ratio', () => {
    expect(parsePercent('50')).toBe(0.5);
    expect(parsePercent(' 7 ')).toBe(0.07);
    expect(parsePercent('')).toBeNaN();
    expect(parsePercent('abc')).toBeNaN();
  });
  it("a new trend is seed 003's churn sign: logins over 30 days at most half of before", () => {
    expect(newCondition('trend')).toEqual({ type: 'trend', event: 'login', where: {}, days: 30, op: 'lte', ratio: 0.5, minPrevious: 1 });
  });
});

describe('segment order', () => {
  it('swaps a segment with its neighbour, and stays put at the ends', () => {
    const keys = ['a', 'b', 'c'];
    expect(moved(keys, 'b', -1)).toEqual(['b', 'a', 'c']);
    expect(moved(keys, 'b', 1)).toEqual(['a', 'c', 'b']);
    expect(moved(keys, 'a', -1)).toBe(keys);
    expect(moved(keys, 'c', 1)).toBe(keys);
    expect(moved(keys, 'zz', 1)).toBe(keys);
  });
});
