/**
 * @module
 * Segment history from `GET /api/segment-history`: each segment's size per site day, entries and
 * exits, and whether an experiment on it could conclude within 28 days. One load serves the
 * overview and every segment page.
 */
import { api, type Body, unwrap } from '../api/client';
import { createLoader } from '../lib/loader';

export type SegmentHistory = Body<Awaited<ReturnType<(typeof api)['segment-history']['$get']>>>;
export type SegmentHistoryEntry = SegmentHistory['segments'][number];

const loader = createLoader((days: number = 90) => unwrap(api['segment-history'].$get({ query: { days: String(days) } })));

/** The last load's state (the data stays while it reloads). */
export const segmentHistory = loader.state;

/** Loads the last `days` site days (90 by default). */
export const loadHistory = (days = 90) => loader.load(days);

/** Rebuilds past days from the events (for a first deployment or the demo), then reloads. */
export async function backfillHistory(days: number): Promise<void> {
  await unwrap(api['segment-history'].backfill.$post({ json: { days } }));
  await loadHistory();
}
