/**
 * @module
 * Builds events and request bodies. Host pages call `track` with anything, so input is checked
 * here: a call that cannot become a valid-looking event is dropped instead of poisoning the queue.
 */
import { rid, SLUG } from './ids';
import type { Ev } from './queue';

/** Props above this size (as JSON) are refused by the server (CONTRACT §2). */
const MAX_PROPS = 2048;

/**
 * An event, or null when `type` is not a slug or `props` is not a small JSON-able object.
 * @example makeEvent('download', {asset: '/wp.pdf', kind: 'whitepaper'}, location.href, Date.now())
 */
export function makeEvent(type: unknown, props: unknown, url: string, now: number): Ev | null {
  if (typeof type != 'string' || !SLUG.test(type)) return null;
  const p = props && typeof props == 'object' && !Array.isArray(props) ? props : {};
  try {
    // Also throws on cycles and BigInt: those calls are dropped here, not at send time.
    const json = JSON.stringify(p);
    if (json.length > MAX_PROPS) return null;
    return { id: rid(), type, at: new Date(now).toISOString(), url: url.slice(0, 2048), props: JSON.parse(json) };
  } catch {
    return null;
  }
}

/** The page_view of this page, with the category from `<meta name="dw:category">` if it is a slug. */
export function pageView(url: string, category: string | null | undefined, now: number): Ev {
  return makeEvent('page_view', category && SLUG.test(category) ? { category } : {}, url, now)!;
}

/** Slot names of the page: slugs only, each once, at most 20 (the server's limits). */
export function slotNames(names: (string | null)[]): string[] {
  const out: string[] = [];
  for (const n of names) if (n && SLUG.test(n) && out.indexOf(n) < 0 && out.length < 20) out.push(n);
  return out;
}

/** The `/v1/decide` body; `preview` only when the page was opened from the admin's preview link. */
export function decideBody(visitorId: string, url: string, slots: string[], events: Ev[], preview?: string | null) {
  const body: Record<string, unknown> = { visitorId, url: url.slice(0, 2048), slots, events };
  if (preview) body.preview = preview;
  return body;
}
