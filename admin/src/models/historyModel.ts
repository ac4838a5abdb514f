/**
 * @module
 * Segment history from `GET /api/segment-history`: each segment's size per site day, entries and
 * exits, and whether an experiment on it could conclude within 28 days. One load serves the
 * overview and every segment page.
 */
import { signal } from '@preact/signals';
import { api, ApiFailure, unwrap, type Body } from '../api/client';

export type SegmentHistory = Body<Awaited<ReturnType<(typeof api)['segment-history']['$get']>>>;
export type SegmentHistoryEntry = SegmentHistory['segments'][number];

export const history = signal<{ status: 'idle' | 'loading' | 'ready' | 'error'; data: SegmentHistory | null; error: ApiFailure | null }>({
  status: 'idle',
  data: null,
  error: null,
});

/** Loads the last `days` site days (90 by default). */
export async function loadHistory(days = 90): Promise<void> {
  history.value = { ...history.value, status: 'loading', error: null };
  try {
    const data = await unwrap(api['segment-history'].$get({ query: { days: String(days) } }));
    history.value = { status: 'ready', data, error: null };
  } catch (err) {
    history.value = {
      status: 'error',
      data: history.value.data,
      error: err instanceof ApiFailure ? err : new ApiFailure(0, 'network', String(err)),
    };
  }
}

/** Rebuilds past days from the events (for a first deployment or the demo), then reloads. */
export async function backfillHistory(days: number): Promise<void> {
  await unwrap(api['segment-history'].backfill.$post({ json: { days } }));
  await loadHistory();
}
