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

/**
 * Sets the visitor-id cookie for the whole site, for two years. SameSite=Lax keeps it out of
 * cross-site subrequests; Secure whenever the page itself is on https. It is never deleted: a
 * forgotten visitor keeps "-" (no id), which tells an edge in rewrite mode not to make one.
 */
export const setVidCookie = safe((value: string) => {
  d.cookie = 'dw_vid=' + value + ';path=/;max-age=63072000;SameSite=Lax' + (location.protocol == 'https:' ? ';Secure' : '');
});
