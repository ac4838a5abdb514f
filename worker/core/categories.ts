/**
 * @module
 * URL category rules: a page_view without a `category` prop gets one from the first rule whose
 * path pattern matches its URL. Patterns are compiled once into glob matchers that run in time
 * linear in the URL (no regular expressions, so no backtracking on a hostile URL).
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

/**
 * Case folding as a case-insensitive regular expression (without the `u` flag) does it, one
 * UTF-16 unit at a time: to upper case when that gives one unit, and never from non-ASCII
 * into ASCII. Folding both sides this way keeps the matches the regex-based matcher gave.
 */
function fold(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 128) {
      out += c >= 97 && c <= 122 ? String.fromCharCode(c - 32) : s[i];
      continue;
    }
    const up = s[i]!.toUpperCase();
    out += up.length === 1 && up.charCodeAt(0) >= 128 ? up : s[i];
  }
  return out;
}

/**
 * A `*` glob as a matcher of a whole folded path. The pattern splits on `*` into a prefix, a
 * suffix and middle pieces; the path must start with the prefix, end with the suffix, and
 * hold the middle pieces in order in between. Taking each middle piece at its leftmost place
 * after the previous one is exact for globs whose only wildcard is `*` (a leftmost match
 * leaves the most room for the rest), so there is never a step back: each piece is one
 * `indexOf`, and a `*` matches any run of characters, `/` included.
 */
function toMatcher(pattern: string): (folded: string) => boolean {
  // A pattern written without the leading slash ("pricing*") still means a path from the root.
  const rooted = pattern.startsWith('/') || pattern.startsWith('*') ? pattern : `/${pattern}`;
  const pieces = fold(rooted).split('*');
  const prefix = pieces[0]!;
  if (pieces.length === 1) return (path) => path === prefix;
  const suffix = pieces.at(-1)!;
  const middle = pieces.slice(1, -1).filter((piece) => piece.length > 0);
  return (path) => {
    if (path.length < prefix.length + suffix.length) return false;
    if (!path.startsWith(prefix) || !path.endsWith(suffix)) return false;
    const end = path.length - suffix.length;
    let from = prefix.length;
    for (const piece of middle) {
      const at = path.indexOf(piece, from);
      if (at < 0 || at + piece.length > end) return false;
      from = at + piece.length;
    }
    return true;
  };
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
    .map((rule, index) => ({ rule, index, matches: toMatcher(rule.pattern) }))
    .sort((a, b) => (b.rule.priority ?? 0) - (a.rule.priority ?? 0) || a.index - b.index);
  return function categorize(url: string): string | null {
    if (typeof url !== 'string') return null;
    const path = pathnameOf(url);
    if (path === null) return null;
    const folded = fold(path);
    for (const { rule, matches } of compiled) if (matches(folded)) return rule.category;
    return null;
  };
}
