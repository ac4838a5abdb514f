/**
 * @module
 * The one guard every entry point goes through: the host page must never see an exception
 * from the snippet, whatever the page, the browser or the network did.
 */

/**
 * Wraps `fn` so that calling it never throws; a throw yields undefined.
 * @example const lget = safe((k: string) => localStorage.getItem(k)); // undefined when storage is blocked
 */
export const safe =
  <A extends unknown[], R>(fn: (...a: A) => R) =>
  (...a: A): R | undefined => {
    try {
      return fn(...a);
    } catch {}
  };
