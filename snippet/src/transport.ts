/**
 * @module
 * Sending JSON to the edge as `text/plain` (a "simple" CORS request: no preflight, so one round
 * trip). Never rejects and never throws, whatever the network or the host page did to `fetch`.
 */

/**
 * Whether the server has answered for a request's events: stored (2xx) or refused as invalid
 * (4xx, which a resend would not fix). 429 and 5xx are temporary: keep the events for later.
 */
export const settled = (status: number) => status >= 200 && status < 500 && status != 429;

/** POSTs `body`; resolves to the response, or null on any network failure. */
export function post(url: string, body: unknown): Promise<Response | null> {
  try {
    // keepalive: the request survives the page being closed right after the call.
    return fetch(url, { method: 'POST', body: JSON.stringify(body), keepalive: true }).catch(() => null);
  } catch {
    return Promise.resolve(null);
  }
}

/** Hands `body` to the browser to deliver after the page is gone. False if it could not. */
export function beacon(url: string, body: unknown): boolean {
  try {
    return navigator.sendBeacon(url, JSON.stringify(body));
  } catch {
    return false;
  }
}
