/**
 * @module
 * The opaque `cursor` of member lists: where the next page starts (the sort key and id of the
 * last member read) and the instant the first page was computed at. Every page of one list is
 * computed as of that same instant, so decay that ticks over while someone pages (a member's
 * score dropping past the boundary between two pages) can neither repeat nor skip a member.
 */

export type ListSort = 'score' | 'lastActive';

export interface ListCursor {
  /** The instant every page of this list is computed at (ms). */
  at: number;
  sort: ListSort;
  /** Sort key of the last member read: current score, or last activity (null: never active). */
  key: number | null;
  id: string;
}

const toBase64Url = (text: string) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(text)))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');

function fromBase64Url(text: string): string {
  const bin = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bin, (ch) => ch.charCodeAt(0)));
}

/**
 * @example decodeCursor(encodeCursor({at: 1, sort: 'score', key: 40, id: 'm-1'})) // {at: 1, sort: 'score', key: 40, id: 'm-1'}
 */
export function encodeCursor(cursor: ListCursor): string {
  return toBase64Url(JSON.stringify([cursor.at, cursor.sort, cursor.key, cursor.id]));
}

/** The cursor, or null when the text is not one this module made. */
export function decodeCursor(text: string): ListCursor | null {
  try {
    const value: unknown = JSON.parse(fromBase64Url(text));
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
