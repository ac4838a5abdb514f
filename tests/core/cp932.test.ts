/**
 * The CP932 encoder against (1) a golden set of byte sequences written down by hand from the
 * WHATWG index, (2) the decoder over every pointer, and (3) an independent table: Python's
 * `cp932` codec (Microsoft's mapping), which must agree byte for byte except where Microsoft
 * prefers the NEC-selected IBM rows (ED40–EEFC) and WHATWG the IBM rows (FA40–FC4B).
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createCp932Encoder } from '../../worker/core/cp932';
import cases from './cases/cp932.json';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const decoder = new TextDecoder('shift_jis');
const encoder = createCp932Encoder();

describe('CP932 encoder', () => {
  it.each(cases.golden)('$name', ({ text, bytes }) => {
    expect(hex(encoder.encode(text))).toBe(bytes);
  });

  it.each(cases.golden.filter((g) => !['¥', '〜', '−', '—', '😀한'].includes(g.text)))(
    '$name decodes back to itself',
    ({ text, bytes }) => {
      expect(decoder.decode(Buffer.from(bytes, 'hex'))).toBe(text);
    },
  );

  it('counts characters with no Shift_JIS form', () => {
    const e = createCp932Encoder();
    e.encode('a😀b한');
    expect(e.unmappable).toBe(2);
  });

  it('round-trips every character the decoder produces (11 280 pairs)', () => {
    let checked = 0;
    // JIS X 0208 (6 879) + NEC row 13 (83) + NEC-selected IBM (374) + IBM (388).
    onTestFinished(() => expect(checked).toBe(7724));
    for (let lead = 0x81; lead <= 0xfc; lead++) {
      if (lead > 0x9f && lead < 0xe0) continue;
      for (let trail = 0x40; trail <= 0xfc; trail++) {
        if (trail === 0x7f) continue;
        const text = decoder.decode(new Uint8Array([lead, trail]));
        if (text.length !== 1 || text === '\uFFFD' || (text.charCodeAt(0) >= 0xe000 && text.charCodeAt(0) <= 0xf8ff)) continue;
        checked++;
        const bytes = encoder.encode(text);
        expect(decoder.decode(bytes), `${lead.toString(16)}${trail.toString(16)}`).toBe(text);
        // The NEC-selected IBM rows are never written; other pairs are written as themselves
        // unless they repeat a character of a lower row (NEC row 13 and the IBM rows do).
        expect(bytes[0] === 0xed || bytes[0] === 0xee).toBe(false);
        if (lead === 0xed || lead === 0xee) continue;
        if (hex(bytes) !== `${lead.toString(16)}${trail.toString(16)}`)
          expect(lead === 0x87 || lead >= 0xfa, `${lead.toString(16)}${trail.toString(16)} is a duplicate`).toBe(true);
      }
    }
  });

  it("agrees with Python's cp932 codec except where WHATWG picks the IBM rows", () => {
    const script = `
import json, sys
out = {}
for cp in range(0x80, 0x10000):
    if 0xD800 <= cp <= 0xDFFF or 0xE000 <= cp <= 0xF8FF: continue
    try: out[cp] = chr(cp).encode('cp932').hex()
    except UnicodeEncodeError: pass
json.dump(out, sys.stdout)`;
    const python: Record<string, string> = JSON.parse(
      execFileSync('/usr/bin/python3', ['-c', script], { maxBuffer: 64 * 1024 * 1024 }).toString(),
    );
    let same = 0;
    let ibmInstead = 0;
    const differences: string[] = [];
    for (const [cp, bytes] of Object.entries(python)) {
      const ch = String.fromCharCode(Number(cp));
      const ours = hex(encoder.encode(ch));
      if (ours === bytes) {
        same++;
        continue;
      }
      const lead = parseInt(bytes.slice(0, 2), 16);
      // Microsoft: NEC-selected IBM row; WHATWG: the IBM row with the same character.
      if (lead === 0xed || lead === 0xee) {
        expect(parseInt(ours.slice(0, 2), 16)).toBeGreaterThanOrEqual(0xfa);
        expect(decoder.decode(Buffer.from(ours, 'hex'))).toBe(ch);
        ibmInstead++;
        continue;
      }
      differences.push(`U+${Number(cp).toString(16)} python ${bytes} ours ${ours}`);
    }
    expect(differences).toEqual([]);
    expect(ibmInstead).toBeGreaterThan(300);
    expect(same).toBeGreaterThan(7000);
  });
});
