/**
 * @module
 * Sending JSON to the edge as `text/plain` (a "simple" CORS request: no preflight, so one round
 * trip). Never rejects and never throws, whatever the network or the host page did to `fetch`.
 *
 * Every request is `fetch(keepalive)`, the successor of `navigator.sendBeacon`: it is delivered
 * even when the page is closed right after, and, unlike a beacon, if the page lives on we learn
 * whether the events arrived (a beacon's events would have to be resent blindly).
 */
/**
 * Whether the server has answered for a request's events: stored (2xx) or refused as invalid
 * (4xx, which a resend would not fix). 429 and 5xx are temporary: keep the events for later.
 * (fetch follows redirects and never reports 1xx, so anything under 500 is a final answer.)
 */
export const settled = (status: number) => status < 500 && status != 429;

/** POSTs `body`; resolves to the response, or to undefined on any failure. */
export const post = (url: string, body: unknown): Promise<Response | void> =>
  // keepalive: the request survives the page being closed right after the call.
  Promise.resolve()
    .then(() => fetch(url, { method: 'POST', body: JSON.stringify(body), keepalive: true }))
    .catch(() => {});

/**
 * The longest the snippet stays quiet for one answer: a wrong or hostile Retry-After (or a clock
 * jump) must not silence a browser for days.
 */
export const MAX_WAIT_MS = 3_600_000;
/**
 * The wait when a 429/503 has no readable Retry-After: a cross-origin page only sees the header
 * if the edge exposes it (Access-Control-Expose-Headers), and the edge's rate-limit window is 60 s.
 */
export const DEFAULT_WAIT_MS = 60_000;

/**
 * The time (epoch ms) before which the edge asked not to be sent anything again: after a 429 or
 * 503, `Retry-After` seconds from now, at most an hour; 0 for any other answer. A missing, zero or
 * unreadable value (the edge sends seconds, never an HTTP date) waits the default.
 * @example retryAt(new Response(null, { status: 429, headers: { 'Retry-After': '30' } }), now) // now + 30_000
 */
export const retryAt = (res: Response, now = Date.now()) =>
  res.status == 429 || res.status == 503 ? now + Math.min(+res.headers.get('retry-after')! * 1000 || DEFAULT_WAIT_MS, MAX_WAIT_MS) : 0;

/**
 * The stored "not before" time as this page should respect it: anything unreadable is no wait,
 * and no more than an hour from now (the clock may have been set back since it was stored).
 */
export const heldUntil = (stored: string | null | void, now = Date.now()) => Math.min(+stored! || 0, now + MAX_WAIT_MS);
