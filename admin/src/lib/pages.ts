/**
 * @module
 * The console's one paged list: a filter, the items read so far, where the next page starts, and
 * idle / loading / ready / error. `reload` starts again from the first page (a new filter, a
 * restore), `more` appends the next one. As with the loader (./loader.ts), only the latest call
 * settles the state, so a slow page of an old filter never lands in the list of a new one.
 *
 * @example
 *   const history = createPagedList({}, async (f: HistoryFilter, cursor: string | null) => {
 *     const body = await unwrap(api.changes.$get({ query: { ...f, ...(cursor ? { cursor } : {}) } }));
 *     return { items: body.items, next: body.nextCursor };
 *   });
 *   await history.reload();
 *   if (history.next.value) await history.more();
 */
import { type ReadonlySignal, type Signal, signal } from '@preact/signals';
import type { ApiFailure } from '../api/client';
import { asFailure } from './loader';

/** One page as the API gives it: its items and where the next page starts (null: the last one). */
export interface Page<T, C> {
  items: T[];
  next: C | null;
}

export interface PagedList<T, F, C> {
  filter: ReadonlySignal<F>;
  /** Every item read so far, in the API's order. */
  items: Signal<T[]>;
  /** Where the next page starts; null when the last page is read. */
  next: ReadonlySignal<C | null>;
  status: ReadonlySignal<'idle' | 'loading' | 'ready' | 'error'>;
  error: ReadonlySignal<ApiFailure | null>;
  /** The first page again; never rejects (a failure is the `error` state). */
  reload(): Promise<void>;
  /** Appends the next page (nothing when there is none). */
  more(): Promise<void>;
  /** Replaces the filter and reads its first page. */
  setFilter(next: F): Promise<void>;
}

export function createPagedList<T, F, C>(initial: F, read: (filter: F, after: C | null) => Promise<Page<T, C>>): PagedList<T, F, C> {
  const filter = signal(initial);
  const items = signal<T[]>([]);
  const next = signal<C | null>(null);
  const status = signal<'idle' | 'loading' | 'ready' | 'error'>('idle');
  const error = signal<ApiFailure | null>(null);
  let seq = 0;
  const fetchPage = async (after: C | null) => {
    const mine = ++seq;
    status.value = 'loading';
    error.value = null;
    try {
      const page = await read(filter.value, after);
      if (mine !== seq) return;
      items.value = after === null ? page.items : [...items.value, ...page.items];
      next.value = page.next;
      status.value = 'ready';
    } catch (err) {
      if (mine !== seq) return;
      error.value = asFailure(err);
      status.value = 'error';
    }
  };
  return {
    filter,
    items,
    next,
    status,
    error,
    reload: () => fetchPage(null),
    more: () => (next.value === null ? Promise.resolve() : fetchPage(next.value)),
    setFilter(value: F) {
      filter.value = value;
      return fetchPage(null);
    },
  };
}
