/**
 * @module
 * The member list: filters (the API's own query fields), one-click lists ("today's hot leads",
 * "dormant targets"), cursor paging, and the CSV download of the current list.
 */
import { signal } from '@preact/signals';
import type { MemberListItem } from '@worker/services/admin/member-list';
import type { CsvEncoding } from '@worker/schema/members';
import { api, unwrap } from '../api/client';
import { createLoader, type Loader } from '../lib/loader';
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

const PAGE = 50;

/** The query of the current filters: only fields with a value. */
export function listQuery(f: ListFilters): Record<string, string> {
  const q: Record<string, string> = {};
  for (const [k, v] of Object.entries(f)) if (v !== '' && !(k === 'sort' && v === 'score')) q[k] = String(v).trim();
  return q;
}

export interface MemberPage {
  items: MemberListItem[];
  nextCursor: string | null;
}

/**
 * A member list: its filters and the pages loaded so far (`load(true)` appends the next page).
 * @example const list = createMemberList(); await list.apply(HOT_TODAY); list.state.value.data?.items
 */
export function createMemberList(initial: ListFilters = EMPTY_FILTERS) {
  const filters = signal<ListFilters>({ ...initial });
  const pages: Loader<MemberPage, [boolean]> = createLoader(async (more: boolean): Promise<MemberPage> => {
    const last: MemberPage | null = pages.state.value.data;
    const cursor = more ? last?.nextCursor : null;
    const body = await unwrap(
      api.members.$get({ query: { ...listQuery(filters.value), limit: String(PAGE), ...(cursor ? { cursor } : {}) } }),
    );
    return { items: more && last ? [...last.items, ...body.items] : body.items, nextCursor: body.nextCursor };
  });
  return {
    filters,
    state: pages.state,
    /** Loads the first page (`more`: the next page, appended). */
    load: (more = false) => pages.load(more),
    apply(next: ListFilters): Promise<void> {
      filters.value = { ...next };
      return pages.load(false);
    },
    /** Downloads the list with the current filters as CSV. */
    downloadCsv: (encoding: CsvEncoding) => downloadCsv(filters.value, encoding),
  };
}

/** The members screen's list, kept while the console is open: back from a member, it is as it was. */
export const memberList = createMemberList();

/**
 * Downloads a list as CSV. The admin token is a header (never in a URL), so the file is fetched
 * here and handed to the browser as a blob.
 */
async function downloadCsv(f: ListFilters, encoding: CsvEncoding): Promise<void> {
  const qs = new URLSearchParams({ ...listQuery(f), encoding });
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
