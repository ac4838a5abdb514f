import { describe, expect, it } from 'vitest';
import { importEffect, importRow, planColumns, type Mapping } from '../../worker/core/member-import';
import cases from './cases/member-import.json';

const pick = (errors: { row: number; column?: string; code: string }[]) =>
  errors.map((e) => (e.column === undefined ? { row: e.row, code: e.code } : { row: e.row, column: e.column, code: e.code }));

describe('import columns', () => {
  it.each(cases.columns)('$name', ({ headers, mapping, traits, errors }) => {
    const plan = planColumns(headers, (mapping ?? {}) as Mapping);
    expect(plan.columns.map((c) => c.trait)).toEqual(traits);
    expect(pick(plan.errors)).toEqual(errors);
    expect(plan.errors.every((e) => e.message.length > 0)).toBe(true);
  });
});

describe('import rows', () => {
  it.each(cases.rows)('$name', ({ headers, cells, member, errors }) => {
    const plan = planColumns(headers);
    const expanded = cells.map((c) => (c === 'LONG201' ? 'あ'.repeat(201) : c));
    const result = importRow(2, expanded, plan);
    if (member) {
      expect(result).toEqual({ ok: true, member: { row: 2, ...member } });
    } else {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(pick(result.errors)).toEqual(errors);
    }
  });

  it('accepts 200 characters exactly', () => {
    expect(importRow(2, ['m', 'あ'.repeat(200)], planColumns(['id', 'company'])).ok).toBe(true);
  });
});

describe('what an import changes', () => {
  it.each(cases.effect)('$name → $status', ({ existing, traits, status }) => {
    expect(importEffect(existing as Record<string, unknown> | null, traits as Record<string, string | number>)).toBe(status);
  });
});
