/**
 * @module
 * Writes test pages in Shift_JIS and EUC-JP. Runtimes only decode these encodings, so the
 * encoder is the decoder read backwards: every one- and two-byte sequence is decoded once and
 * the first sequence found for a character is the one written. A test helper on purpose (the
 * edge itself needs no encoder: the rewriter writes inserted HTML in the page's encoding), and
 * independent of the product code it checks.
 */
type Legacy = 'shift_jis' | 'euc-jp';

const tables = new Map<Legacy, Map<string, number[]>>();

function table(encoding: Legacy): Map<string, number[]> {
  const cached = tables.get(encoding);
  if (cached) return cached;
  const decoder = new TextDecoder(encoding);
  const map = new Map<string, number[]>();
  const add = (bytes: number[]) => {
    const ch = decoder.decode(Uint8Array.from(bytes));
    if ([...ch].length === 1 && ch !== '\uFFFD' && !map.has(ch)) map.set(ch, bytes);
  };
  for (let b = 0; b < 0x80; b++) add([b]);
  if (encoding === 'shift_jis') {
    for (let b = 0xa1; b <= 0xdf; b++) add([b]);
    for (let lead = 0x81; lead <= 0xfc; lead++) {
      if (lead > 0x9f && lead < 0xe0) continue;
      for (let trail = 0x40; trail <= 0xfc; trail++) if (trail !== 0x7f) add([lead, trail]);
    }
  } else {
    for (let b = 0xa1; b <= 0xdf; b++) add([0x8e, b]);
    for (let lead = 0xa1; lead <= 0xfe; lead++) for (let trail = 0xa1; trail <= 0xfe; trail++) add([lead, trail]);
  }
  tables.set(encoding, map);
  return map;
}

/**
 * @example encodeLegacy('料金', 'shift_jis') // Uint8Array [0x97, 0xbf, 0x8b, 0xe0]
 */
export function encodeLegacy(text: string, encoding: Legacy): Uint8Array {
  const map = table(encoding);
  const out: number[] = [];
  for (const ch of text) {
    const bytes = map.get(ch);
    if (!bytes) throw new Error(`${JSON.stringify(ch)} has no ${encoding} form: the test page cannot hold it`);
    out.push(...bytes);
  }
  return Uint8Array.from(out);
}
