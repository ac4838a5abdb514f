/**
 * @module
 * Builds events and request bodies. Host pages call `track` with anything, so input is checked
 * here: a call that cannot become a valid-looking event is dropped instead of poisoning the queue.
 */
import { rid, SLUG } from './ids';
import type { Ev } from './queue';
import { safe } from './safe';

/** The page URL as events carry it (the server takes at most 2048 characters). */
export const pageUrl = () => location.href.slice(0, 2048);

/** Props above this size (as JSON) are refused by the server (CONTRACT §2). */
const MAX_PROPS = 2048;

/**
 * An event, or undefined when `type` is not a slug or `props` is not a small JSON-able object
 * (JSON.stringify also throws on cycles and BigInt: such calls are dropped here, not at send time).
 * Props are copied, so later changes by the page do not leak into the queued event.
 * @example makeEvent('download', {asset: '/wp.pdf', kind: 'whitepaper'})
 */
export const makeEvent = safe((type: unknown, props: unknown, now = Date.now(), url = pageUrl()): Ev | undefined => {
  const json = JSON.stringify(typeof props == 'object' ? props || {} : {});
  if (typeof type == 'string' && SLUG.test(type) && json.length <= MAX_PROPS)
    return { id: rid(), type, at: new Date(now).toISOString(), url, props: JSON.parse(json) };
});

/** The page_view of this page, with the category from `<meta name="dw:category">` if it is a slug. */
export const pageView = (category: string | null | undefined, now?: number, url?: string) =>
  makeEvent('page_view', category && SLUG.test(category) ? { category } : {}, now, url)!;

/** Slot names of the page: slugs only, each once, at most 20 (the server's limits). */
export const slotNames = (names: string[]) => names.filter((n, i) => SLUG.test(n) && names.indexOf(n) == i).slice(0, 20);

/**
 * The `/v1/decide` body; `preview` only when the page was opened from the admin's preview link
 * (JSON drops an undefined field).
 */
export const decideBody = (visitorId: string, url: string, slots: string[], events: Ev[], preview?: string | null) => ({
  visitorId,
  url,
  slots,
  events,
  preview: preview || undefined,
});
