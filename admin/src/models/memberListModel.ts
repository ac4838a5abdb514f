/**
 * @module
 * The member list: filters (the API's own query fields), one-click lists ("today's hot leads",
 * "dormant targets"), cursor paging, and the CSV download of the current list.
 */
import { signal } from '@preact/signals';
import type { MemberListItem } from '@worker/services/admin/member-list';
import type { CsvEncoding } from '@worker/schema/members';
import { api, ApiFailure, unwrap } from '../api/client';
import { token } from './authModel';

/** Filter values as the form holds them (text; empty = not set). */
export interface ListFilters {
  tier: string;
  segment: string;
  minScore: string;
  activeWithinDays: string;
  inactiveForDays: string;
  q: string;
  sort: 'score' | 'lastActive';
}

export const EMPTY_FILTERS: ListFilters = {
  tier: '',
  segment: '',
  minScore: '',
  activeWithinDays: '',
  inactiveForDays: '',
  q: '',
  sort: 'score',
};

/** Hot tier, active in the last 24 hours, highest score first. */
export const HOT_TODAY: ListFilters = { ...EMPTY_FILTERS, tier: 'hot', activeWithinDays: '1', sort: 'score' };
/** No activity for 90 days or more, the most recently lapsed first (the warmest to win back). */
export const DORMANT: ListFilters = { ...EMPTY_FILTERS, inactiveForDays: '90', sort: 'lastActive' };

export const filters = signal<ListFilters>({ ...EMPTY_FILTERS });
export const items = signal<MemberListItem[]>([]);
export const nextCursor = signal<string | null>(null);
export const status = signal<'idle' | 'loading' | 'ready' | 'error'>('idle');
export const error = signal<ApiFailure | null>(null);

const PAGE = 50;

/** The query of the current filters: only fields with a value. */
export function listQuery(f: ListFilters): Record<string, string> {
  const q: Record<string, string> = {};
  for (const [k, v] of Object.entries(f)) if (v !== '' && !(k === 'sort' && v === 'score')) q[k] = String(v).trim();
  return q;
}

let seq = 0;

/** Loads the first page (`more`: the next page, appended). */
export async function loadList(more = false): Promise<void> {
  const mine = ++seq;
  status.value = 'loading';
  error.value = null;
  try {
    const cursor = more ? nextCursor.value : null;
    const body = await unwrap(
      api.members.$get({ query: { ...listQuery(filters.value), limit: String(PAGE), ...(cursor ? { cursor } : {}) } }),
    );
    if (mine !== seq) return;
    items.value = more ? [...items.value, ...body.items] : body.items;
    nextCursor.value = body.nextCursor;
    status.value = 'ready';
  } catch (err) {
    if (mine !== seq) return;
    error.value = err instanceof ApiFailure ? err : null;
    status.value = 'error';
  }
}

export function applyFilters(next: ListFilters): Promise<void> {
  filters.value = { ...next };
  return loadList();
}

/**
 * Downloads the current list as CSV. The admin token is a header (never in a URL), so the file
 * is fetched here and handed to the browser as a blob.
 */
export async function downloadCsv(encoding: CsvEncoding): Promise<void> {
  const qs = new URLSearchParams({ ...listQuery(filters.value), encoding });
  qs.delete('limit');
  const res = await fetch(`/api/members.csv?${qs}`, { headers: token.value ? { authorization: `Bearer ${token.value}` } : {} });
  if (!res.ok) {
    await unwrap(Promise.resolve(res));
    return;
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'members.csv';
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
