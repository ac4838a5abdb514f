/**
 * @module
 * When the snippet may store an id and send events: the visitor's opt-out always wins; on sites
 * embedding with `data-dw-consent="required"`, nothing happens until the site says yes.
 */
import { describe, expect, it } from 'vitest';
import { allowed } from '../../snippet/src/consent';
import { settled } from '../../snippet/src/transport';

describe('allowed(optedOut, consentRequired, consentGiven)', () => {
  it.each<[boolean, boolean, boolean | undefined, boolean, string]>([
    [false, false, undefined, true, 'default site, no opt-out'],
    [true, false, undefined, false, 'opted out'],
    [false, true, undefined, false, 'consent required, not given yet'],
    [false, true, true, true, 'consent given'],
    [false, true, false, false, 'consent withdrawn'],
    [true, true, true, false, 'opt-out beats consent'],
  ])('(%s, %s, %s) → %s: %s', (out, need, given, ok) => {
    expect(allowed(out, need, given)).toBe(ok);
  });
});

describe('settled (the server has answered for the events)', () => {
  it.each([
    [200, true],
    [204, true],
    [400, true],
    [401, true],
    [413, true],
    [429, false],
    [500, false],
    [503, false],
  ])('%i → %s', (status, ok) => expect(settled(status)).toBe(ok));
});
