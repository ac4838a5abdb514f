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
