import { describe, expect, it } from 'vitest';
import { compileCategoryRules } from '../../worker/core/categories';
import { CategoryRule } from '../../worker/schema/config';
import cases from './cases/categories.json';

const categorize = compileCategoryRules(cases.rules.map((r) => CategoryRule.parse(r)));

describe('compileCategoryRules', () => {
  it.each(cases.urls)('$url → $category', ({ url, category }) => {
    expect(categorize(url)).toBe(category);
  });

  it('has no rules → no category', () => {
    expect(compileCategoryRules([])('/pricing')).toBeNull();
  });

  it('never throws, whatever it is given', () => {
    for (const bad of ['%', 'https://[::1', '/%E0%A4%A', '\u0000', 'javascript:alert(1)']) {
      expect(() => categorize(bad)).not.toThrow();
    }
    expect(categorize(undefined as unknown as string)).toBeNull();
  });

  it('treats regex characters in a pattern literally', () => {
    const c = compileCategoryRules([{ id: 'r', pattern: '/a+b(c)/*', category: 'x', priority: 0 }]);
    expect(c('/a+b(c)/d')).toBe('x');
    expect(c('/aab(c)/d')).toBeNull();
  });
});
