/**
 * @module
 * A small HTML tokenizer for the sanitizer, modelled on the WHATWG tokenizer states that
 * matter for splitting markup: tags with their quirky attribute syntax, comments (including
 * the abrupt `<!-->` / `<!--->` / `--!>` forms), doctype, CDATA and `<?…>` as bogus
 * comments, raw-text elements, and EOF inside a tag (the tag is discarded, as browsers do).
 *
 * It does not build a tree and need not agree with a browser byte for byte: the sanitizer
 * re-serializes only what it understood, so a disagreement can cost fidelity, never safety.
 * Every loop either consumes input or jumps forward with indexOf, so it runs in linear time.
 */

export interface Attr {
  /** ASCII-lower-cased; may contain odd characters (`<script`, `"x`) from malformed input. */
  name: string;
  /** Raw source text of the value (references not decoded), or null for a bare attribute. */
  value: string | null;
}

export type Token =
  | { type: 'text'; raw: string }
  | { type: 'start'; name: string; attrs: Attr[]; selfClosing: boolean; eof: boolean }
  | { type: 'end'; name: string; eof: boolean }
  | { type: 'comment'; name: 'comment' | 'doctype' | 'cdata' | 'processing-instruction' };

/** Elements whose content the tokenizer reads as raw text up to `</name`. */
const RAW_TEXT = new Set(['script', 'style', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript', 'textarea', 'title']);

const isWs = (c: number) => c === 32 || c === 9 || c === 10 || c === 12;
const isAlpha = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const lower = (s: string) => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
const unNul = (s: string) => (s.includes('\0') ? s.replace(/\0/g, '\uFFFD') : s);

/** Index just past the `>` at or after `from`, or the end of input. */
function pastGt(s: string, from: number): number {
  const k = s.indexOf('>', from);
  return k < 0 ? s.length : k + 1;
}

/** Where a comment body starting at `from` (just after `<!--`) ends. */
function commentEnd(s: string, from: number): number {
  if (s[from] === '>') return from + 1; // <!-->
  if (s[from] === '-' && s[from + 1] === '>') return from + 2; // <!--->
  let k = s.indexOf('--', from);
  while (k >= 0) {
    if (s[k + 2] === '>') return k + 3;
    if (s[k + 2] === '!' && s[k + 3] === '>') return k + 4;
    k = s.indexOf('--', k + 1);
  }
  return s.length;
}

/** Start of the `</name` that ends a raw-text element, or the end of input. */
function rawTextEnd(s: string, from: number, name: string): number {
  let k = s.indexOf('</', from);
  while (k >= 0) {
    const after = k + 2 + name.length;
    const c = s.charCodeAt(after);
    if (lower(s.slice(k + 2, after)) === name && (isWs(c) || c === 47 || c === 62)) return k;
    k = s.indexOf('</', k + 2);
  }
  return s.length;
}

/** Reads a tag whose name starts at `p`; returns the token and the index after it. */
function readTag(s: string, p: number, end: boolean): { token: Token; next: number } {
  const n = s.length;
  let i = p;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (isWs(c) || c === 47 || c === 62) break;
    i++;
  }
  const name = unNul(lower(s.slice(p, i)));
  const attrs: Attr[] = [];
  let selfClosing = false;
  let eof = true;
  while (i < n) {
    let c = s.charCodeAt(i);
    if (isWs(c)) {
      i++;
      continue;
    }
    if (c === 62) {
      eof = false;
      i++;
      break;
    }
    if (c === 47) {
      i++;
      if (s.charCodeAt(i) === 62) {
        selfClosing = true;
        eof = false;
        i++;
        break;
      }
      continue;
    }
    // Attribute name: the first character may be anything (even `=`), then up to ws / > =.
    const ns = i;
    i++;
    while (i < n) {
      c = s.charCodeAt(i);
      if (isWs(c) || c === 47 || c === 62 || c === 61) break;
      i++;
    }
    const attr: Attr = { name: unNul(lower(s.slice(ns, i))), value: null };
    attrs.push(attr);
    while (i < n && isWs(s.charCodeAt(i))) i++;
    if (s.charCodeAt(i) !== 61) continue;
    i++;
    while (i < n && isWs(s.charCodeAt(i))) i++;
    if (i >= n) break;
    c = s.charCodeAt(i);
    if (c === 34 || c === 39) {
      const close = s.indexOf(c === 34 ? '"' : "'", i + 1);
      if (close < 0) {
        i = n;
        break;
      }
      attr.value = unNul(s.slice(i + 1, close));
      i = close + 1;
    } else if (c === 62) {
      attr.value = '';
    } else {
      const vs = i;
      while (i < n) {
        c = s.charCodeAt(i);
        if (isWs(c) || c === 62) break;
        i++;
      }
      attr.value = unNul(s.slice(vs, i));
    }
  }
  const token: Token = end ? { type: 'end', name, eof } : { type: 'start', name, attrs, selfClosing, eof };
  return { token, next: i };
}

/**
 * Splits HTML into tokens. Input should already have CR / CRLF normalised to LF.
 * @example tokenize('<p class=a>Hi<!--x-->') → [start p [class=a], text 'Hi', comment]
 */
export function tokenize(s: string): Token[] {
  const tokens: Token[] = [];
  const n = s.length;
  let textStart = 0;
  let i = 0;
  const flush = (to: number) => {
    if (to > textStart) tokens.push({ type: 'text', raw: s.slice(textStart, to) });
  };
  while (i < n) {
    const lt = s.indexOf('<', i);
    if (lt < 0) break;
    const c = s.charCodeAt(lt + 1);
    let next: number;
    if (isAlpha(c)) {
      flush(lt);
      const tag = readTag(s, lt + 1, false);
      tokens.push(tag.token);
      next = tag.next;
      const name = tag.token.type === 'start' && !tag.token.eof ? tag.token.name : '';
      if (name === 'plaintext' || RAW_TEXT.has(name)) {
        const close = name === 'plaintext' ? n : rawTextEnd(s, next, name);
        if (close > next) tokens.push({ type: 'text', raw: s.slice(next, close) });
        next = close;
      }
    } else if (c === 47 /* / */) {
      const c2 = s.charCodeAt(lt + 2);
      if (Number.isNaN(c2)) {
        i = lt + 1; // "</" at EOF is text
        continue;
      }
      flush(lt);
      if (isAlpha(c2)) {
        const tag = readTag(s, lt + 2, true);
        tokens.push(tag.token);
        next = tag.next;
      } else if (c2 === 62) {
        next = lt + 3; // "</>" is dropped
      } else {
        tokens.push({ type: 'comment', name: 'comment' });
        next = pastGt(s, lt + 2);
      }
    } else if (c === 33 /* ! */) {
      flush(lt);
      if (s.startsWith('--', lt + 2)) {
        tokens.push({ type: 'comment', name: 'comment' });
        next = commentEnd(s, lt + 4);
      } else if (lower(s.slice(lt + 2, lt + 9)) === 'doctype') {
        tokens.push({ type: 'comment', name: 'doctype' });
        next = pastGt(s, lt + 2);
      } else {
        // Outside SVG/MathML, `<![CDATA[` is a bogus comment ending at the first `>`.
        tokens.push({ type: 'comment', name: s.startsWith('[CDATA[', lt + 2) ? 'cdata' : 'comment' });
        next = pastGt(s, lt + 2);
      }
    } else if (c === 63 /* ? */) {
      flush(lt);
      tokens.push({ type: 'comment', name: 'processing-instruction' });
      next = pastGt(s, lt + 2);
    } else {
      i = lt + 1; // a lone "<" is text
      continue;
    }
    textStart = i = next;
  }
  flush(n);
  return tokens;
}
