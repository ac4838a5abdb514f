import { describe, expect, it } from 'vitest';
import { cellValue, normalizeEmail, normalizeText, parseEmployees } from '../../worker/core/normalize';
import cases from './cases/normalize.json';

describe('normalization (NFKC + trim)', () => {
  it.each(cases.text)('$raw → $value', ({ raw, value }) => expect(normalizeText(raw)).toBe(value));
  it.each(cases.cells)('cell $raw → $value', ({ raw, value }) => expect(cellValue(raw)).toBe(value));
});

describe('employees', () => {
  it.each(cases.employees)('$raw → $value', ({ raw, value }) => expect(parseEmployees(raw)).toBe(value));
});

describe('e-mail', () => {
  it.each(cases.email)('$raw → $value', ({ raw, value }) => expect(normalizeEmail(raw)).toBe(value));
});
