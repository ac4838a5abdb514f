/**
 * @module
 * The opaque `cursor` of member lists: where the next page starts (the sort key and id of the
 * last member read) and the instant the first page was computed at. Every page of one list is
 * computed as of that same instant, so decay that ticks over while someone pages (a member's
 * score dropping past the boundary between two pages) can neither repeat nor skip a member.
 */

import { base64urlToText, textToBase64url } from './base64';

export type ListSort = 'score' | 'lastActive';

export interface ListCursor {
  /** The instant every page of this list is computed at (ms). */
  at: number;
  sort: ListSort;
  /** Sort key of the last member read: current score, or last activity (null: never active). */
  key: number | null;
  id: string;
}

/**
 * @example decodeCursor(encodeCursor({at: 1, sort: 'score', key: 40, id: 'm-1'})) // {at: 1, sort: 'score', key: 40, id: 'm-1'}
 */
export function encodeCursor(cursor: ListCursor): string {
  return textToBase64url(JSON.stringify([cursor.at, cursor.sort, cursor.key, cursor.id]));
}

/** The cursor, or null when the text is not one this module made. */
export function decodeCursor(text: string): ListCursor | null {
  try {
    const value: unknown = JSON.parse(base64urlToText(text));
    if (!Array.isArray(value) || value.length !== 4) return null;
    const [at, sort, key, id] = value as unknown[];
    if (typeof at !== 'number' || !Number.isFinite(at)) return null;
    if (sort !== 'score' && sort !== 'lastActive') return null;
    if (key !== null && (typeof key !== 'number' || !Number.isFinite(key))) return null;
    if (typeof id !== 'string' || id.length > 256) return null;
    return { at, sort, key, id };
  } catch {
    return null;
  }
}
