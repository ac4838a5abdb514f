/**
 * @module
 * The `dw_vid` cookie as the snippet writes it: first-party for the whole site, SameSite=Lax (never
 * sent on cross-site subrequests), and Secure whenever the page itself is on https.
 */
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';

/** Every string the snippet assigns to `document.cookie`. */
const written: string[] = [];
const page = { protocol: 'https:' };
vi.stubGlobal('document', {
  set cookie(v: string) {
    written.push(v);
  },
  get cookie() {
    return 'other=1; dw_vid=abcdefghijklmnop0123; x=2';
  },
});
vi.stubGlobal('location', page);
vi.stubGlobal('window', {});
// Imported after the stubs: the snippet names `document` and `window` once, at load.
const { setVidCookie, vidCookie } = await import('../../snippet/src/storage');

const attributes = (cookie: string) => cookie.split(';').slice(1);

beforeEach(() => {
  written.length = 0;
});
afterAll(() => {
  vi.unstubAllGlobals();
});

describe('setVidCookie', () => {
  it('on https: SameSite=Lax and Secure, for the whole site, two years', () => {
    page.protocol = 'https:';
    setVidCookie('abcdefghijklmnop0123');
    expect(written).toHaveLength(1);
    expect(written[0]!.split(';')[0]).toBe('dw_vid=abcdefghijklmnop0123');
    expect(attributes(written[0]!).sort()).toEqual(['SameSite=Lax', 'Secure', 'max-age=63072000', 'path=/']);
  });

  it('on http: SameSite=Lax without Secure (a Secure cookie could not be set there)', () => {
    page.protocol = 'http:';
    setVidCookie('abcdefghijklmnop0123');
    expect(attributes(written[0]!).sort()).toEqual(['SameSite=Lax', 'max-age=63072000', 'path=/']);
  });

  it('forgets with "-" (no id) under the same attributes, so an edge in rewrite mode makes no new id', () => {
    page.protocol = 'https:';
    setVidCookie('-');
    expect(written[0]).toBe('dw_vid=-;path=/;max-age=63072000;SameSite=Lax;Secure');
  });
});

describe('vidCookie', () => {
  it('reads dw_vid among other cookies', () => {
    expect(vidCookie()).toBe('abcdefghijklmnop0123');
  });
});
