/**
 * @module
 * Validates events one by one (a bad event is rejected alone), resolves their time (browser events
 * clamped to 30 days back / now), trims URLs to what may be stored, and fills page categories
 * from URL rules.
 */
import { BROWSER_MAX_AGE_MS, BROWSER_MAX_AHEAD_MS, Event, type Rejected } from '../schema/api';
import type { NormalizedEvent } from '../core/types';
import { storedPageUrl } from '../core/page-url';

export type EventSource = 'browser' | 'server';

export interface ValidatedEvents {
  events: NormalizedEvent[];
  rejected: Rejected[];
}

/**
 * @example
 *   const { events, rejected } = validateEvents(body.events, { now: Date.now(), source: 'browser' });
 */
export function validateEvents(
  raw: unknown[],
  opts: { now: number; source: EventSource; pageUrl?: string; oldest?: number },
): ValidatedEvents {
  const events: NormalizedEvent[] = [];
  const rejected: Rejected[] = [];
  raw.forEach((item, index) => {
    const parsed = Event.safeParse(item);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      rejected.push({ index, error: first ? `${first.path.join('.') || 'event'}: ${first.message}` : 'invalid event' });
      return;
    }
    const e = parsed.data;
    let at = e.at ? Date.parse(e.at) : opts.now;
    if (opts.source === 'browser') {
      // Browser clocks drift and scripts replay: keep times inside [now − 30 d, now] so a stale
      // or future-dated event can neither backfill old history nor postpone decay.
      if (at < opts.now - BROWSER_MAX_AGE_MS) {
        rejected.push({ index, error: 'at: more than 30 days old' });
        return;
      }
      if (at > opts.now + BROWSER_MAX_AHEAD_MS) {
        rejected.push({ index, error: 'at: more than 5 minutes ahead' });
        return;
      }
      at = Math.min(at, opts.now);
    } else {
      at = Math.min(at, opts.now);
    }
    // Older than the event retention horizon: its row would be deleted by the next retention
    // run, after which a replay of its id could no longer be recognised (core/retention.ts).
    if (opts.oldest !== undefined && at < opts.oldest) {
      rejected.push({ index, error: 'at: older than the event retention horizon' });
      return;
    }
    const given = e.url ?? (e.type === 'page_view' ? opts.pageUrl : undefined);
    const url = given === undefined ? undefined : storedPageUrl(given);
    events.push({ id: e.id, type: e.type, at, props: e.props, ...(url ? { url } : {}) });
  });
  return { events, rejected };
}

/** Page views without a category get one from the URL rules set in the admin. */
export function withCategories(events: NormalizedEvent[], categoryOf: (url: string) => string | null): NormalizedEvent[] {
  return events.map((e) => {
    if (e.type !== 'page_view' || typeof e.props.category === 'string' || !e.url) return e;
    const category = categoryOf(e.url);
    return category ? { ...e, props: { ...e.props, category } } : e;
  });
}
