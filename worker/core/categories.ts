/**
 * @module
 * URL category rules: a page_view without a `category` prop gets one from the first rule whose
 * path pattern matches its URL. Patterns are compiled once into anchored regular expressions.
 */
import type { CategoryRule } from '../schema/config';

/** Base for resolving bare paths; only the pathname of the result is used. */
const BASE = 'http://localhost';

function pathnameOf(url: string): string | null {
  try {
    const path = new URL(url, BASE).pathname;
    // Marketers write patterns in readable form ("/製品/*"), browsers send them encoded.
    try {
      return decodeURI(path);
    } catch {
      return path;
    }
  } catch {
    return null;
  }
}

function toRegExp(pattern: string): RegExp {
  // A pattern written without the leading slash ("pricing*") still means a path from the root.
  const rooted = pattern.startsWith('/') || pattern.startsWith('*') ? pattern : `/${pattern}`;
  const body = rooted
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 'i');
}

/**
 * Compiles category rules into one function from URL (absolute or a bare path; query and
 * hash ignored) to category. Higher `priority` wins, then array order. Never throws: an
 * unparsable URL has no category.
 * @example
 * const categorize = compileCategoryRules([{id: 'p', pattern: '/pricing*', category: 'pricing', priority: 0}]);
 * categorize('https://example.com/Pricing/enterprise?x=1') // 'pricing'
 */
export function compileCategoryRules(rules: CategoryRule[]): (url: string) => string | null {
  const compiled = rules
    .map((rule, index) => ({ rule, index, re: toRegExp(rule.pattern) }))
    .sort((a, b) => (b.rule.priority ?? 0) - (a.rule.priority ?? 0) || a.index - b.index);
  return function categorize(url: string): string | null {
    if (typeof url !== 'string') return null;
    const path = pathnameOf(url);
    if (path === null) return null;
    for (const { rule, re } of compiled) if (re.test(path)) return rule.category;
    return null;
  };
}
