/**
 * @module
 * First-party storage that never throws: localStorage and cookies can both be disabled or
 * throw SecurityError (sandboxed iframes, strict privacy modes). A failed read is "nothing
 * stored", a failed write is ignored; the snippet then keeps its state in memory.
 */

/** Reads a localStorage key; null when absent or when storage is unavailable. */
export function lget(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** Writes a localStorage key, or removes it when `value` is null. */
export function lset(key: string, value: string | null): void {
  try {
    value == null ? localStorage.removeItem(key) : localStorage.setItem(key, value);
  } catch {}
}

/** Reads a cookie of the current document. */
export function cget(name: string): string | null {
  try {
    const m = document.cookie.match(new RegExp('(?:^|; )' + name + '=([^;]*)'));
    return m ? m[1]! : null;
  } catch {
    return null;
  }
}

/**
 * Sets (or, with `maxAge` 0, deletes) a first-party cookie for the whole site. SameSite=Lax
 * keeps it out of cross-site subrequests; Secure whenever the page itself is on https.
 */
export function cset(name: string, value: string, maxAge: number): void {
  try {
    document.cookie =
      name + '=' + value + ';path=/;max-age=' + maxAge + ';SameSite=Lax' + (location.protocol == 'https:' ? ';Secure' : '');
  } catch {}
}
