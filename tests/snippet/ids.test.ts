/**
 * @module
 * Visitor and event ids: the server accepts `[A-Za-z0-9_-]`, 8–64 chars for events and 16–64 for
 * visitors, so every id the snippet makes must pass both, and not repeat.
 */
import { describe, expect, it } from 'vitest';
import { rid, SLUG, VISITOR_ID } from '../../snippet/src/ids';

describe('rid', () => {
  it('makes 24 symbols that pass the server checks', () => {
    for (let i = 0; i < 200; i++) {
      const id = rid();
      expect(id).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect(id).toMatch(VISITOR_ID);
    }
  });

  it('does not repeat', () => {
    const ids = new Set(Array.from({ length: 5000 }, () => rid()));
    expect(ids.size).toBe(5000);
  });

  it('uses the whole base-36 alphabet', () => {
    const seen = new Set(Array.from({ length: 300 }, () => rid()).join(''));
    expect(seen.size).toBe(36);
  });
});

describe('VISITOR_ID', () => {
  it.each([
    ['q3v0bx9klr2zt7mpaa1qk8d2', true],
    ['ABCDEF_ghijkl-0123', true],
    ['short', false],
    ['x'.repeat(65), false],
    ['has space in it here', false],
    ['dw%20encodedcookie', false],
  ])('%s → %s', (id, ok) => expect(VISITOR_ID.test(id)).toBe(ok));
});

describe('SLUG (slot names, event types, kinds, categories)', () => {
  it.each([
    ['hero', true],
    ['case_study', true],
    ['dx-2026', true],
    ['Hero', false],
    ['_hero', false],
    ['', false],
    ['a'.repeat(65), false],
  ])('%s → %s', (s, ok) => expect(SLUG.test(s)).toBe(ok));
});
