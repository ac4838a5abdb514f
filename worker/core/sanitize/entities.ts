/**
 * @module
 * Character references for the sanitizer: parsing `&…` the way the HTML tokenizer does
 * (named with `;`, the legacy no-semicolon names, decimal and hex), decoding them, and the
 * two encoders the serializer uses.
 *
 * The named table is deliberately partial (Latin-1, HTML 4, and the HTML 5 ASCII punctuation
 * names used in filter evasion such as `&colon;` `&Tab;` `&NewLine;`). That is safe by
 * construction: values that get checked (URLs, `target`, `type`) are decoded here and
 * re-serialized with every `&` escaped, so the browser sees exactly the string we checked,
 * and a name we don't know stays literal text on both sides.
 */

/** U+00A0..U+00FF in order; all of them are also legacy (valid without `;`). */
const LATIN1 =
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest ' +
  'Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig ' +
  'agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml';

const GREEK_UPPER =
  'Alpha Beta Gamma Delta Epsilon Zeta Eta Theta Iota Kappa Lambda Mu Nu Xi Omicron Pi Rho _ Sigma Tau Upsilon Phi Chi Psi Omega';

/** name → code point, for everything outside the generated ranges. */
const OTHER: Record<string, number> = {
  Tab: 0x09,
  NewLine: 0x0a,
  excl: 0x21,
  quot: 0x22,
  QUOT: 0x22,
  num: 0x23,
  dollar: 0x24,
  percnt: 0x25,
  amp: 0x26,
  AMP: 0x26,
  apos: 0x27,
  lpar: 0x28,
  rpar: 0x29,
  ast: 0x2a,
  midast: 0x2a,
  plus: 0x2b,
  comma: 0x2c,
  period: 0x2e,
  sol: 0x2f,
  colon: 0x3a,
  semi: 0x3b,
  lt: 0x3c,
  LT: 0x3c,
  equals: 0x3d,
  gt: 0x3e,
  GT: 0x3e,
  quest: 0x3f,
  commat: 0x40,
  lsqb: 0x5b,
  lbrack: 0x5b,
  bsol: 0x5c,
  rsqb: 0x5d,
  rbrack: 0x5d,
  Hat: 0x5e,
  lowbar: 0x5f,
  UnderBar: 0x5f,
  grave: 0x60,
  DiacriticalGrave: 0x60,
  lcub: 0x7b,
  lbrace: 0x7b,
  verbar: 0x7c,
  vert: 0x7c,
  VerticalLine: 0x7c,
  rcub: 0x7d,
  rbrace: 0x7d,
  NonBreakingSpace: 0xa0,
  COPY: 0xa9,
  REG: 0xae,
  half: 0xbd,
  OElig: 0x152,
  oelig: 0x153,
  Scaron: 0x160,
  scaron: 0x161,
  Yuml: 0x178,
  fnof: 0x192,
  circ: 0x2c6,
  tilde: 0x2dc,
  sigmaf: 0x3c2,
  thetasym: 0x3d1,
  upsih: 0x3d2,
  piv: 0x3d6,
  ensp: 0x2002,
  emsp: 0x2003,
  thinsp: 0x2009,
  ZeroWidthSpace: 0x200b,
  zwnj: 0x200c,
  zwj: 0x200d,
  lrm: 0x200e,
  rlm: 0x200f,
  hyphen: 0x2010,
  dash: 0x2010,
  ndash: 0x2013,
  mdash: 0x2014,
  lsquo: 0x2018,
  rsquo: 0x2019,
  sbquo: 0x201a,
  ldquo: 0x201c,
  rdquo: 0x201d,
  bdquo: 0x201e,
  dagger: 0x2020,
  Dagger: 0x2021,
  bull: 0x2022,
  hellip: 0x2026,
  permil: 0x2030,
  prime: 0x2032,
  Prime: 0x2033,
  lsaquo: 0x2039,
  rsaquo: 0x203a,
  oline: 0x203e,
  frasl: 0x2044,
  euro: 0x20ac,
  image: 0x2111,
  weierp: 0x2118,
  real: 0x211c,
  trade: 0x2122,
  TRADE: 0x2122,
  alefsym: 0x2135,
  larr: 0x2190,
  uarr: 0x2191,
  rarr: 0x2192,
  darr: 0x2193,
  harr: 0x2194,
  crarr: 0x21b5,
  lArr: 0x21d0,
  uArr: 0x21d1,
  rArr: 0x21d2,
  dArr: 0x21d3,
  hArr: 0x21d4,
  forall: 0x2200,
  part: 0x2202,
  exist: 0x2203,
  empty: 0x2205,
  nabla: 0x2207,
  isin: 0x2208,
  notin: 0x2209,
  ni: 0x220b,
  prod: 0x220f,
  sum: 0x2211,
  minus: 0x2212,
  lowast: 0x2217,
  radic: 0x221a,
  prop: 0x221d,
  infin: 0x221e,
  ang: 0x2220,
  and: 0x2227,
  or: 0x2228,
  cap: 0x2229,
  cup: 0x222a,
  int: 0x222b,
  there4: 0x2234,
  sim: 0x223c,
  cong: 0x2245,
  asymp: 0x2248,
  ne: 0x2260,
  equiv: 0x2261,
  le: 0x2264,
  ge: 0x2265,
  sub: 0x2282,
  sup: 0x2283,
  nsub: 0x2284,
  sube: 0x2286,
  supe: 0x2287,
  oplus: 0x2295,
  otimes: 0x2297,
  perp: 0x22a5,
  sdot: 0x22c5,
  lceil: 0x2308,
  rceil: 0x2309,
  lfloor: 0x230a,
  rfloor: 0x230b,
  lang: 0x27e8,
  rang: 0x27e9,
  loz: 0x25ca,
  starf: 0x2605,
  star: 0x2606,
  phone: 0x260e,
  spades: 0x2660,
  clubs: 0x2663,
  hearts: 0x2665,
  diams: 0x2666,
  check: 0x2713,
};

const NAMED = new Map<string, number>(Object.entries(OTHER));
LATIN1.split(' ').forEach((n, i) => NAMED.set(n, 0xa0 + i));
GREEK_UPPER.split(' ').forEach((n, i) => {
  if (n === '_') return;
  NAMED.set(n, 0x391 + i);
  NAMED.set(n.toLowerCase(), 0x3b1 + i);
});

/** Names the tokenizer also accepts without a trailing `;`. The longest is 6 characters. */
const LEGACY = new Set([...LATIN1.split(' '), 'amp', 'AMP', 'lt', 'LT', 'gt', 'GT', 'quot', 'QUOT', 'COPY', 'REG']);
const LEGACY_MAX = 6;

/** Numeric references to 0x80..0x9F mean windows-1252, as browsers read them. */
const C1: Record<number, number> = {
  0x80: 0x20ac,
  0x82: 0x201a,
  0x83: 0x192,
  0x84: 0x201e,
  0x85: 0x2026,
  0x86: 0x2020,
  0x87: 0x2021,
  0x88: 0x2c6,
  0x89: 0x2030,
  0x8a: 0x160,
  0x8b: 0x2039,
  0x8c: 0x152,
  0x8e: 0x17d,
  0x91: 0x2018,
  0x92: 0x2019,
  0x93: 0x201c,
  0x94: 0x201d,
  0x95: 0x2022,
  0x96: 0x2013,
  0x97: 0x2014,
  0x98: 0x2dc,
  0x99: 0x2122,
  0x9a: 0x161,
  0x9b: 0x203a,
  0x9c: 0x153,
  0x9e: 0x17e,
  0x9f: 0x178,
};

type Ref =
  | { kind: 'numeric'; cp: number; exact: boolean; end: number }
  | { kind: 'named'; name: string; end: number }
  | { kind: 'legacy'; name: string; end: number };

const isDigit = (c: number) => c >= 48 && c <= 57;
const isHex = (c: number) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const isAlpha = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isAlnum = (c: number) => isDigit(c) || isAlpha(c);

/**
 * Reads the character reference starting at `s[i] === '&'`, or null when that `&` is plain text.
 * `preserve` accepts any well-formed `&name;` (for re-encoding); otherwise only names we can
 * decode, falling back to the longest legacy prefix like the tokenizer. In attribute values a legacy name followed by `=` or an alphanumeric stays text (the
 * historical `?a=1&copy=2` rule).
 */
function readRef(s: string, i: number, attr: boolean, preserve: boolean): Ref | null {
  const n = s.length;
  let j = i + 1;
  if (s.charCodeAt(j) === 35 /* # */) {
    j++;
    const hex = s[j] === 'x' || s[j] === 'X';
    if (hex) j++;
    const start = j;
    let value = 0;
    while (j < n && (hex ? isHex(s.charCodeAt(j)) : isDigit(s.charCodeAt(j)))) {
      if (value <= 0x10ffff) value = value * (hex ? 16 : 10) + parseInt(s[j]!, 16);
      j++;
    }
    if (j === start) return null;
    const terminated = s[j] === ';';
    if (terminated) j++;
    let cp = value;
    if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) cp = 0xfffd;
    else cp = C1[cp] ?? cp;
    return { kind: 'numeric', cp, exact: terminated && cp === value, end: j };
  }
  let k = j;
  while (k < n && isAlnum(s.charCodeAt(k))) k++;
  if (k > j && s[k] === ';' && isAlpha(s.charCodeAt(j))) {
    const name = s.slice(j, k);
    // Kept as written even when unknown to us: the browser reads the same string either way.
    if (preserve || NAMED.has(name)) return { kind: 'named', name, end: k + 1 };
  }
  for (let len = Math.min(LEGACY_MAX, k - j); len >= 2; len--) {
    const name = s.slice(j, j + len);
    if (!LEGACY.has(name)) continue;
    const next = s.charCodeAt(j + len);
    if (attr && (isAlnum(next) || next === 61) /* = */) return null;
    return { kind: 'legacy', name, end: j + len };
  }
  return null;
}

/**
 * Decodes the references we know. Unknown names stay literal, so callers must escape every
 * `&` when they serialize the result (see {@link escapeAttr}).
 * @example decodeEntities('jav&#x09;ascript&colon;', true) → 'jav\tascript:'
 */
export function decodeEntities(s: string, attr: boolean): string {
  let out = '';
  let last = 0;
  let i = s.indexOf('&');
  while (i >= 0) {
    const ref = readRef(s, i, attr, false);
    if (!ref) {
      i = s.indexOf('&', i + 1);
      continue;
    }
    const cp = ref.kind === 'numeric' ? ref.cp : NAMED.get(ref.name);
    if (cp === undefined) {
      i = s.indexOf('&', ref.end);
      continue;
    }
    out += s.slice(last, i) + String.fromCodePoint(cp);
    last = ref.end;
    i = s.indexOf('&', last);
  }
  return out + s.slice(last);
}

/** Escapes a decoded value for a double-quoted attribute. */
export function escapeAttr(v: string): string {
  return v.replace(/[&"<>\0]/g, (c) => (c === '&' ? '&amp;' : c === '"' ? '&quot;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '\uFFFD'));
}

/**
 * Re-encodes raw source text (a text run, or an attribute value when `attr`) so that it
 * means what the browser would have read from the input, without double-escaping: well-formed
 * references are kept as written, legacy ones get their `;`, invalid numeric ones become
 * U+FFFD, and a bare `&`, `<`, `>` (and `"` in attributes) are escaped. NULs are dropped
 * from text. The result contains no raw `<`, `>` or unescaped `&`.
 * @example encodeRaw('a < b &copy 2024 &amp; AT&T', false) → 'a &lt; b &copy; 2024 &amp; AT&amp;T'
 */
export function encodeRaw(s: string, attr: boolean): string {
  let out = '';
  let last = 0;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    let rep: string;
    let next = i + 1;
    if (c === 60) rep = '&lt;';
    else if (c === 62) rep = '&gt;';
    else if (c === 34 && attr) rep = '&quot;';
    else if (c === 0) rep = attr ? '\uFFFD' : '';
    else if (c === 38) {
      const ref = readRef(s, i, attr, true);
      if (!ref) rep = '&amp;';
      else if (ref.kind === 'numeric') rep = ref.exact ? s.slice(i, ref.end) : `&#${ref.cp};`;
      else rep = `&${ref.name};`;
      if (ref) next = ref.end;
    } else continue;
    out += s.slice(last, i) + rep;
    last = next;
    i = next - 1;
  }
  return out + s.slice(last);
}
