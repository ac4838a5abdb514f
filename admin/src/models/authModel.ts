/**
 * @module
 * The admin token: kept in sessionStorage, so a reload stays signed in but the token goes when
 * the browser session ends, instead of lying on disk for whoever uses the browser next. Cleared
 * on sign-out or when the API answers 401.
 */
import { signal } from '@preact/signals';

export const TOKEN_STORAGE_KEY = 'dw.admin.token';

/** Storage access can throw (disabled storage, sandboxed frames): treat that as "nothing kept". */
function attempt<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch {
    return null;
  }
}

function read(): string | null {
  // Earlier versions kept the token in localStorage, where it outlived the session: drop it
  // (the user signs in once more) rather than carry it over.
  attempt(() => globalThis.localStorage?.removeItem(TOKEN_STORAGE_KEY));
  return attempt(() => globalThis.sessionStorage?.getItem(TOKEN_STORAGE_KEY) ?? null);
}

export const token = signal<string | null>(read());
/** Why the user is on the sign-in screen again (e.g. the token stopped working). */
export const signedOutReason = signal<'expired' | null>(null);

export function signIn(value: string): void {
  token.value = value;
  signedOutReason.value = null;
  attempt(() => sessionStorage.setItem(TOKEN_STORAGE_KEY, value));
}

export function signOut(reason: 'expired' | null = null): void {
  token.value = null;
  signedOutReason.value = reason;
  attempt(() => sessionStorage.removeItem(TOKEN_STORAGE_KEY));
}
