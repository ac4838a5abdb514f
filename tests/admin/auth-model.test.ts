/**
 * Where the console keeps the admin token: sessionStorage (gone when the browser session ends),
 * never localStorage; a token an older version left in localStorage is removed, not used.
 */
// The console's words in both languages (the browser loads one language chunk at a time).
import '../../admin/src/i18n/all';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

class MemoryStorage {
  private items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, String(value));
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

let local: MemoryStorage;
let session: MemoryStorage;

beforeEach(() => {
  local = new MemoryStorage();
  session = new MemoryStorage();
  vi.stubGlobal('localStorage', local);
  vi.stubGlobal('sessionStorage', session);
  vi.resetModules();
});

afterEach(() => {
  vi.unstubAllGlobals();
});

/** The model as a fresh page load sees it (it reads storage when first imported). */
const load = () => import('../../admin/src/models/authModel');

describe('admin token storage', () => {
  it('signing in keeps the token in sessionStorage only; signing out removes it', async () => {
    const auth = await load();
    auth.signIn('tok-1');
    expect(session.getItem(auth.TOKEN_STORAGE_KEY)).toBe('tok-1');
    expect(local.getItem(auth.TOKEN_STORAGE_KEY)).toBeNull();
    auth.signOut();
    expect(session.getItem(auth.TOKEN_STORAGE_KEY)).toBeNull();
    expect(auth.token.value).toBeNull();
  });

  it('a reload in the same session stays signed in', async () => {
    session.setItem('dw.admin.token', 'tok-2');
    expect((await load()).token.value).toBe('tok-2');
  });

  it('a token left in localStorage by an older version is removed and not used', async () => {
    local.setItem('dw.admin.token', 'old-token');
    const auth = await load();
    expect(auth.token.value).toBeNull();
    expect(local.getItem(auth.TOKEN_STORAGE_KEY)).toBeNull();
  });

  it('storage that throws means signed out, not a crash', async () => {
    const broken = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
      removeItem: () => {
        throw new Error('denied');
      },
    };
    vi.stubGlobal('localStorage', broken);
    vi.stubGlobal('sessionStorage', broken);
    const auth = await load();
    expect(auth.token.value).toBeNull();
    auth.signIn('tok-3');
    expect(auth.token.value).toBe('tok-3');
  });
});
