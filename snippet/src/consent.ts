/**
 * @module
 * Whether the snippet may store an id and send events. Two independent switches: the visitor's
 * own opt-out (remembered across pages) and, on sites that embed with
 * `data-dw-consent="required"`, the site's consent signal for this page.
 *
 * @example allowed(false, true, false) // false: consent required and not given yet
 */
export const allowed = (optedOut: unknown, consentRequired: unknown, consentGiven: unknown) =>
  !optedOut && (!consentRequired || !!consentGiven);
