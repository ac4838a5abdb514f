/**
 * @module
 * What a member-list text search (`q`) looks for, and how the trigram index is asked.
 *
 * `q` is NFKC-normalized and trimmed like imported values, then matched as a member-id prefix
 * (exact case) or as text inside any attribute value, case-insensitive for A–Z only: SQLite's
 * `lower()` folds ASCII alone, and the exact check runs in SQL, so the needle is folded the same
 * way (a JS `toLowerCase()` would fold `Ä` while the stored `Ä` stays, and never match).
 *
 * The index (`member_search_fts`, FTS5 with the trigram tokenizer) only narrows the members to
 * check: FTS5 folds case more widely than `lower()` and a phrase may straddle two values joined
 * in one document, so it can return more, never fewer; the list re-checks every candidate.
 * A trigram index cannot answer fewer than 3 characters (`東京`, `IT`): such needles scan the
 * narrow `member_search` table instead (text only, no profiles).
 */
import { normalizeText } from './normalize';

/** Fewest characters (code points) the trigram index answers. */
export const TRIGRAM = 3;

export interface TextSearch {
  /** The normalized query, for the member-id prefix (exact case). */
  prefix: string;
  /** What attribute text must contain, after `lower()`: the prefix with A–Z folded. */
  needle: string;
  /** The FTS5 MATCH expression (every trigram of the needle), or null below 3 characters. */
  match: string | null;
}

/**
 * The search a `q` parameter asks for, or null when it is empty after normalization.
 * @example textSearch('ＳａａＳ') // {prefix: 'SaaS', needle: 'saas', match: '"saa" "aas"'}
 * @example textSearch(' 東京 ') // {prefix: '東京', needle: '東京', match: null}
 */
export function textSearch(q: string): TextSearch | null {
  const prefix = normalizeText(q);
  if (prefix === '') return null;
  const needle = prefix.replace(/[A-Z]+/g, (s) => s.toLowerCase());
  return { prefix, needle, match: trigramMatch(needle) };
}

/**
 * Every distinct trigram of the needle as its own quoted term, all required (FTS5's implicit
 * AND). The index is built with `detail=none` (row ids only, no positions: a far smaller index
 * and faster writes), which cannot answer phrase queries; a row holding every trigram is a
 * candidate, and the list's exact check decides. Inside quotes everything is literal except the
 * quote, written twice.
 */
function trigramMatch(needle: string): string | null {
  const chars = [...needle];
  if (chars.length < TRIGRAM) return null;
  const grams = new Set<string>();
  for (let i = 0; i + TRIGRAM <= chars.length; i++) grams.add(chars.slice(i, i + TRIGRAM).join(''));
  return [...grams].map((g) => `"${g.replaceAll('"', '""')}"`).join(' ');
}
