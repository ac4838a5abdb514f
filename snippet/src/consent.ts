/**
 * @module
 * Whether the snippet may store an id and send events. Two independent switches: the visitor's
 * own opt-out (remembered across pages) and, on sites that embed with
 * `data-dw-consent="required"`, the site's consent signal for this page.
 */

export interface Gate {
  /** The visitor opted out (`dashiwake.optOut()`; remembered in localStorage `dw_optout`). */
  out?: boolean;
  /** The embed says consent is required before anything is stored or sent. */
  need?: boolean;
  /** The site pushed `['consent', true]` on this page. */
  given?: boolean;
}

/** May the snippet store a visitor id and send events? */
export const allowed = (g: Gate) => !g.out && (!g.need || g.given);
