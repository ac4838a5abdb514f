/** The change log's pure parts (worker/core/change-log.ts): changed fields, actions, the list cursor. */
import { describe, expect, it } from 'vitest';
import { actionOf, changedFields, decodeChangeCursor, encodeChangeCursor, sameJson, stableJson } from '../../worker/core/change-log';
import cases from './cases/change-log.json';

describe('changedFields', () => {
  it.each(cases.changedFields)('$label', ({ before, after, want }) => {
    expect(changedFields(before, after)).toEqual(want);
  });
});

describe('actionOf', () => {
  it.each(cases.actionOf)('$before → $after is $want', ({ before, after, want }) => {
    expect(actionOf(before, after)).toBe(want);
  });
});

describe('cursor', () => {
  it.each(cases.cursor)('%j', ({ text, want }) => {
    expect(decodeChangeCursor(text)).toEqual(want);
    if (want) expect(encodeChangeCursor(want)).toBe(text);
  });
});

describe('stableJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(stableJson({ b: 1, a: [2, { d: 3, c: 4 }], u: undefined })).toBe('{"a":[2,{"c":4,"d":3}],"b":1}');
    expect(sameJson({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true);
    expect(sameJson([1, 2], [2, 1])).toBe(false);
    expect(sameJson(null, undefined)).toBe(true);
  });
});
