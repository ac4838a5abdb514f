/**
 * @module
 * First-party storage that never throws: localStorage and cookies can both be disabled or throw
 * SecurityError (sandboxed iframes, strict privacy modes). A failed read is "nothing stored"
 * (undefined), a failed write is ignored; the snippet then keeps its state in memory.
 */
import { d } from './env';
import { safe } from './safe';

/**
 * Reads a localStorage key (one argument), writes it, or removes it (`value` null).
 * @example store('dw_optout', '1'); store('dw_optout'); // '1'
 */
export const store = safe((key: string, value?: string | null): string | null | void => {
  // Property access is the short form of getItem/setItem/removeItem (an absent key reads undefined).
  const ls: any = localStorage;
  if (value === undefined) return ls[key];
  value == null ? delete ls[key] : (ls[key] = value);
});

/** The visitor-id cookie of the current document. */
export const vidCookie = safe(() => (d.cookie.match(/\bdw_vid=([^;]+)/) || [])[1]);

/** Sets a first-party cookie for the whole site; SameSite=Lax keeps it out of cross-site subrequests, Secure whenever the page is on https. */
const cookie = safe((name: string, value: string, maxAge: number) => {
  d.cookie = name + '=' + value + ';path=/;max-age=' + maxAge + ';SameSite=Lax' + (location.protocol == 'https:' ? ';Secure' : '');
});

/**
 * Sets the visitor-id cookie for the whole site, for two years. It is never deleted: a forgotten
 * visitor keeps "-" (no id), which tells an edge in rewrite mode not to make one.
 */
export const setVidCookie = (value: string) => cookie('dw_vid', value, 63072000);

/**
 * Rewrite mode's profile token cookie: the token in the edge's decision of this page, which the
 * edge reads on the next page instead of storage (none: dropped). It lives 60 s, as long as a
 * token may stand in for a read; script-set, so not HttpOnly (the token is the visitor's own
 * profile, the one snippet mode keeps in localStorage).
 */
export const setTokenCookie = (value?: string) => cookie('dw_pt', value!, value ? 60 : 0);
