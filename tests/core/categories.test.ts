import fc from 'fast-check';
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

describe('glob matching without backtracking', () => {
  it.each(cases.longPaths.cases)(
    '$pattern on ($repeat × $times + "$suffix") → $matches',
    ({ pattern, prefix, repeat, times, suffix, matches }) => {
      const c = compileCategoryRules([{ id: 'r', pattern, category: 'hit', priority: 0 }]);
      expect(c(prefix + repeat.repeat(times) + suffix)).toBe(matches ? 'hit' : null);
    },
  );

  /** The regex the matcher replaced, as the reference on inputs short enough for it to be fast. */
  function reference(pattern: string, path: string): boolean {
    const rooted = pattern.startsWith('/') || pattern.startsWith('*') ? pattern : `/${pattern}`;
    const body = rooted
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    return new RegExp(`^${body}$`, 'i').test(path);
  }

  it('agrees with the anchored case-insensitive regex it replaced', () => {
    // Few letters, so pieces overlap and repeat: the cases where a wrong greedy choice shows.
    const pattern = fc.string({ unit: fc.constantFrom('a', 'B', 'b', '/', '*', '.', 'é', 'É'), minLength: 1, maxLength: 10 });
    const path = fc.string({ unit: fc.constantFrom('a', 'A', 'b', '/', '.', 'é', 'É'), maxLength: 14 }).map((p) => `/p${p}`);
    fc.assert(
      fc.property(pattern, path, (pat, p) => {
        const c = compileCategoryRules([{ id: 'r', pattern: pat, category: 'hit', priority: 0 }]);
        expect(c(p) === 'hit').toBe(reference(pat, decodeURI(new URL(p, 'http://localhost').pathname)));
      }),
      { numRuns: 5000 },
    );
  });
});
