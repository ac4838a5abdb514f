/**
 * @module
 * The admin token: kept in localStorage so a reload stays signed in; cleared on sign-out or
 * when the API answers 401.
 */
import { signal } from '@preact/signals';

export const TOKEN_STORAGE_KEY = 'dw.admin.token';

function read(): string | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage.getItem(TOKEN_STORAGE_KEY);
  } catch {
    return null;
  }
}

export const token = signal<string | null>(read());
/** Why the user is on the sign-in screen again (e.g. the token stopped working). */
export const signedOutReason = signal<'expired' | null>(null);

export function signIn(value: string): void {
  token.value = value;
  signedOutReason.value = null;
  try {
    localStorage.setItem(TOKEN_STORAGE_KEY, value);
  } catch {}
}

export function signOut(reason: 'expired' | null = null): void {
  token.value = null;
  signedOutReason.value = reason;
  try {
    localStorage.removeItem(TOKEN_STORAGE_KEY);
  } catch {}
}
