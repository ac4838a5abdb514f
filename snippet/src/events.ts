/**
 * @module
 * Builds events. Host pages call `track` with anything, so input is checked
 * here: a call that cannot become a valid-looking event is dropped instead of poisoning the queue.
 */
import { rid, SLUG } from './ids';
import type { Ev } from './queue';
import { safe } from './safe';

/** The page URL as events carry it (the server takes at most 2048 characters). */
export const pageUrl = () => location.href.slice(0, 2048);

/** Props above this size (as JSON) are refused by the server. */
const MAX_PROPS = 2048;

/**
 * An event, or undefined when `type` is not a slug or `props` is not small and JSON-able
 * (JSON.stringify also throws on cycles and BigInt: such calls are dropped here, not at send time).
 * Props are copied, so later changes by the page do not leak into the queued event.
 * @example makeEvent('download', {asset: '/wp.pdf', kind: 'whitepaper'})
 */
export const makeEvent = safe((type: unknown, props?: unknown, url: string = pageUrl(), now: number = Date.now()): Ev | undefined => {
  // Spreading makes any value an object (a string or a number: {} or its characters).
  const json = JSON.stringify({ ...(props as object) });
  if (typeof type == 'string' && SLUG.test(type) && json.length <= MAX_PROPS)
    return { id: rid(), type, at: new Date(now).toISOString(), url, props: JSON.parse(json) };
});

/** The page_view of this page, with the category from `<meta name="dw:category">` if it is a slug. */
export const pageView = (category: string | null | undefined, url?: string, now?: number) =>
  makeEvent('page_view', category && SLUG.test(category) ? { category } : {}, url, now)!;

/** Slot names of the page: slugs only, at most 20 (the server's limits; a repeat costs nothing). */
export const slotNames = (names: string[]) => names.filter((n) => SLUG.test(n)).slice(0, 20);
