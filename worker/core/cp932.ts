/**
 * @module
 * A Shift_JIS (Windows-31J, CP932) encoder, for CSV files Excel opens without a prompt.
 *
 * Runtimes decode Shift_JIS (`new TextDecoder('shift_jis')`, the WHATWG Encoding Standard) but
 * never encode it. The table is built once from the decoder itself, so what is written is exactly
 * what the same decoder (and Excel) reads back, and no 200 KB table ships with the worker.
 *
 * Where the decoder maps several byte pairs to one character (NEC row 13, the NEC-selected IBM
 * extensions and the IBM extensions repeat characters), the encoder picks as the WHATWG encoder
 * does: the lowest pointer, with the NEC-selected IBM rows (pointers 8272–8835, bytes ED40–EEFC)
 * and the user-defined area (8836–10715, F040–F9FC) left out. So `①` and `㈱` come from NEC
 * row 13 (8740, 878A), `髙` and `﨑` from the IBM rows (FBFC, FAB1), and `¬` and `∵` from JIS
 * row 2 (81CA, 81E6).
 *
 * On top of the WHATWG encoder, the characters macOS and JIS X 0208 use where Windows has a
 * full-width twin are written as that twin, as Windows' own conversion does (`〜` U+301C → 8160,
 * read back as `～`); anything else with no Shift_JIS form becomes `?`.
 */

/** Pointers the WHATWG "index Shift_JIS pointer" never returns. */
const EXCLUDED: readonly [number, number][] = [
  [8272, 8835], // NEC-selected IBM extensions: the IBM rows (FA40–FC4B) are used instead
  [8836, 10715], // user-defined area, decoded to U+E000–U+E757
];
const POINTERS = 11280; // lead bytes 81–9F and E0–FC, 188 trail bytes each

/** JIS X 0208 / macOS code points → the CP932 character Windows writes for them. */
const EQUIVALENTS: Record<number, number> = {
  0x2212: 0xff0d, // − MINUS SIGN → － (the WHATWG encoder does this one too)
  0x301c: 0xff5e, // 〜 WAVE DASH → ～
  0x2016: 0x2225, // ‖ DOUBLE VERTICAL LINE → ∥
  0x2014: 0x2015, // — EM DASH → ―
  0x00a2: 0xffe0, // ¢ → ￠
  0x00a3: 0xffe1, // £ → ￡
  0x00ac: 0xffe2, // ¬ → ￢
};

/** The two bytes of a pointer (WHATWG: lead = pointer / 188, trail = pointer % 188). */
function pointerBytes(pointer: number): [number, number] {
  const lead = Math.floor(pointer / 188);
  const trail = pointer % 188;
  return [lead + (lead < 0x1f ? 0x81 : 0xc1), trail + (trail < 0x3f ? 0x40 : 0x41)];
}

/**
 * Code point → two bytes packed as `lead << 8 | trail` (0: no double-byte form), built by
 * decoding every pair once. Pairs are separated by LF so an invalid pair cannot swallow the next.
 */
function buildTable(decoder: TextDecoder): Uint16Array {
  const bytes = new Uint8Array(POINTERS * 3);
  for (let p = 0; p < POINTERS; p++) {
    const [lead, trail] = pointerBytes(p);
    bytes[p * 3] = lead;
    bytes[p * 3 + 1] = trail;
    bytes[p * 3 + 2] = 0x0a;
  }
  const decoded = decoder.decode(bytes).split('\n');
  const table = new Uint16Array(0x10000);
  for (let p = 0; p < POINTERS; p++) {
    if (EXCLUDED.some(([from, to]) => p >= from && p <= to)) continue;
    const text = decoded[p];
    if (text === undefined || text.length !== 1) continue;
    const cp = text.charCodeAt(0);
    if (cp === 0xfffd || table[cp] !== 0) continue; // invalid pair, or a later duplicate
    const [lead, trail] = pointerBytes(p);
    table[cp] = (lead << 8) | trail;
  }
  return table;
}

export interface Cp932Encoder {
  /** Bytes of `text`; characters with no Shift_JIS form become `?`. */
  encode(text: string): Uint8Array;
  /** How many characters so far had no Shift_JIS form. */
  readonly unmappable: number;
}

let shared: Uint16Array | null = null;

/**
 * A CP932 encoder. The table is built on first use (about 11 000 pairs decoded once per isolate).
 * @example new TextDecoder('shift_jis').decode(createCp932Encoder().encode('①㈱髙﨑')) // '①㈱髙﨑'
 */
export function createCp932Encoder(decoder?: TextDecoder): Cp932Encoder {
  if (!decoder && !shared) shared = buildTable(new TextDecoder('shift_jis'));
  const table = decoder ? buildTable(decoder) : (shared as Uint16Array);
  let unmappable = 0;
  return {
    get unmappable() {
      return unmappable;
    },
    encode(text: string): Uint8Array {
      const out = new Uint8Array(text.length * 2);
      let n = 0;
      for (let i = 0; i < text.length; i++) {
        let cp = text.charCodeAt(i);
        if (cp <= 0x80) {
          out[n++] = cp;
          continue;
        }
        if (cp === 0xa5) {
          out[n++] = 0x5c;
          continue;
        }
        if (cp === 0x203e) {
          out[n++] = 0x7e;
          continue;
        }
        if (cp >= 0xff61 && cp <= 0xff9f) {
          out[n++] = cp - 0xff61 + 0xa1;
          continue;
        }
        if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length) {
          const next = text.charCodeAt(i + 1);
          if (next >= 0xdc00 && next <= 0xdfff) i++; // one astral character, one `?`
        }
        let pair = table[cp] ?? 0;
        if (pair === 0 && EQUIVALENTS[cp] !== undefined) {
          cp = EQUIVALENTS[cp]!;
          pair = table[cp] ?? 0;
        }
        if (pair === 0) {
          unmappable++;
          out[n++] = 0x3f;
          continue;
        }
        out[n++] = pair >> 8;
        out[n++] = pair & 0xff;
      }
      return out.subarray(0, n);
    },
  };
}
