/**
 * @module
 * Which character encoding an HTML response is in, as a browser would decide it: a byte order
 * mark, else the `charset` of the `Content-Type` header, else a `<meta charset>` (or
 * `<meta http-equiv="Content-Type">`) in the first 1024 bytes — the HTML standard's prescan.
 *
 * The edge needs this because Cloudflare's `HTMLRewriter` reads the charset from the header only
 * and otherwise assumes UTF-8: a Shift_JIS page that declares itself in a `<meta>` would get
 * UTF-8 variant HTML. With the charset known, the rewriter writes inserted HTML in the page's
 * own encoding (numeric character references for what that encoding cannot hold) and leaves
 * every other byte as it was. It can only parse ASCII-compatible encodings, so ISO-2022-JP and
 * UTF-16 pages are passed through untouched.
 */

/** The HTML standard's prescan looks at this many bytes, no more. */
export const PRESCAN_BYTES = 1024;

/** Encodings HTMLRewriter cannot parse: they are not ASCII-compatible. */
const NOT_ASCII_COMPATIBLE = new Set(['iso-2022-jp', 'utf-16le', 'utf-16be']);

/**
 * The WHATWG name of an encoding label, or null when no browser knows it.
 * @example canonicalCharset(' Windows-31J ') // 'shift_jis'
 * @example canonicalCharset('x-euc-jp') // 'euc-jp'
 */
export function canonicalCharset(label: string | null | undefined): string | null {
  if (!label) return null;
  try {
    // The Encoding Standard's label table, as every runtime ships it. Throws for unknown labels
    // and for the "replacement" ones (ISO-2022-KR, HZ…), which a page cannot be read in.
    return new TextDecoder(label.trim()).encoding;
  } catch {
    return null;
  }
}

/**
 * The `charset` parameter of a Content-Type header value, as written (not yet canonical).
 * @example charsetParam('text/html; charset="Shift_JIS"') // 'Shift_JIS'
 */
export function charsetParam(contentType: string | null | undefined): string | null {
  const m = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(contentType ?? '');
  const value = m ? (m[1] ?? m[2] ?? '') : '';
  return value || null;
}

/** Whether HTMLRewriter can parse (and write into) a page in this canonical encoding. */
export const rewritableCharset = (charset: string): boolean => !NOT_ASCII_COMPATIBLE.has(charset);

/**
 * The encoding a byte order mark at the start of `bytes` names, if any.
 * @example bomCharset(new Uint8Array([0xef, 0xbb, 0xbf, 0x3c])) // 'utf-8'
 */
export function bomCharset(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  return null;
}

const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f';
const isLetter = (c: string | undefined) => !!c && /[A-Za-z]/.test(c);

/** One attribute of a tag, read from `i` (the prescan's "get an attribute"); null at the tag's end. */
function readAttribute(s: string, i: number): { name: string; value: string; next: number } | null {
  while (i < s.length && (isSpace(s[i]) || s[i] === '/')) i++;
  if (i >= s.length || s[i] === '>') return null;
  let name = '';
  while (i < s.length && !isSpace(s[i]) && s[i] !== '=' && s[i] !== '>' && !(s[i] === '/' && name)) name += s[i++]!.toLowerCase();
  while (i < s.length && isSpace(s[i])) i++;
  if (s[i] !== '=') return { name, value: '', next: i };
  i++;
  while (i < s.length && isSpace(s[i])) i++;
  let value = '';
  const quote = s[i];
  if (quote === '"' || quote === "'") {
    const end = s.indexOf(quote, i + 1);
    if (end < 0) return { name, value: s.slice(i + 1), next: s.length };
    return { name, value: s.slice(i + 1, end), next: end + 1 };
  }
  while (i < s.length && !isSpace(s[i]) && s[i] !== '>') value += s[i++];
  return { name, value, next: i };
}

/** The charset named in a `content` attribute ("text/html; charset=EUC-JP"). */
function charsetInContent(content: string): string | null {
  const m = /charset\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s;"']+))/i.exec(content);
  return m ? (m[1] ?? m[2] ?? m[3] ?? null) : null;
}

/**
 * The encoding a page's first bytes declare in a `<meta>`, following the HTML standard's prescan
 * (comments and other tags are skipped, so a commented-out `<meta>` does not count). Returns the
 * canonical name, or null when nothing (or nothing known) is declared. A `<meta>` declaring
 * UTF-16 means UTF-8, as in browsers: bytes a parser could read that far are not UTF-16.
 * @example metaCharset(new TextEncoder().encode('<meta charset="Shift_JIS">')) // 'shift_jis'
 */
export function metaCharset(bytes: Uint8Array): string | null {
  // Latin-1 maps each byte to one character: positions match bytes, and only ASCII matters here.
  const s = Array.from(bytes.subarray(0, PRESCAN_BYTES), (b) => String.fromCharCode(b)).join('');
  let i = 0;
  while (i < s.length) {
    if (s.startsWith('<!--', i)) {
      const end = s.indexOf('-->', i + 2);
      if (end < 0) return null;
      i = end + 3;
    } else if (/^<meta[\s/]/i.test(s.slice(i, i + 6))) {
      let at = i + 5;
      let charset: string | null = null;
      let httpEquiv = false;
      let content: string | null = null;
      const seen = new Set<string>();
      for (let attr = readAttribute(s, at); attr; attr = readAttribute(s, at)) {
        at = attr.next;
        if (seen.has(attr.name)) continue;
        seen.add(attr.name);
        if (attr.name === 'charset') charset = attr.value;
        else if (attr.name === 'http-equiv') httpEquiv = attr.value.toLowerCase() === 'content-type';
        else if (attr.name === 'content') content = attr.value;
      }
      const label = charset ?? (httpEquiv && content !== null ? charsetInContent(content) : null);
      const found = canonicalCharset(label);
      if (found) return found === 'utf-16le' || found === 'utf-16be' ? 'utf-8' : found === 'x-user-defined' ? 'windows-1252' : found;
      i = Math.max(at, i + 1);
    } else if (s[i] === '<' && (isLetter(s[i + 1]) || (s[i + 1] === '/' && isLetter(s[i + 2])))) {
      // Another tag: step over its attributes (a ">" inside a quoted value does not end it).
      let at = i + 1;
      while (at < s.length && !isSpace(s[at]) && s[at] !== '>') at++;
      for (let attr = readAttribute(s, at); attr; attr = readAttribute(s, at)) at = attr.next;
      i = at + 1;
    } else if (s.startsWith('<!', i) || s.startsWith('</', i) || s.startsWith('<?', i)) {
      const end = s.indexOf('>', i + 2);
      if (end < 0) return null;
      i = end + 1;
    } else {
      i++;
    }
  }
  return null;
}

/**
 * A response's encoding from what is known so far: BOM, then header, then `<meta>`.
 * `complete` says whether `head` holds all the prescan may look at (1024 bytes, or the whole
 * body); until then an undeclared page may still declare itself, so the answer is `undefined`
 * (read more). An undeclared page whose first bytes are non-ASCII UTF-8 is UTF-8; otherwise
 * `null`: a browser would guess, so the edge does not rewrite it.
 * @example pageCharset('text/html', bytesOf('<meta charset=euc-jp>'), false) // 'euc-jp'
 */
export function pageCharset(contentType: string | null, head: Uint8Array, complete: boolean): string | null | undefined {
  const bom = bomCharset(head);
  if (bom) return bom;
  if (head.length < 3 && !complete) return undefined;
  const declared = charsetParam(contentType);
  if (declared) return canonicalCharset(declared);
  const meta = metaCharset(head);
  if (meta) return meta;
  if (!complete && head.length < PRESCAN_BYTES) return undefined;
  return looksUtf8(head) ? 'utf-8' : null;
}

/**
 * Undeclared, but the first bytes hold non-ASCII text that is valid UTF-8: browsers' detectors
 * read such pages as UTF-8 too. ASCII alone proves nothing (a Shift_JIS page starts the same).
 */
function looksUtf8(head: Uint8Array): boolean {
  if (!head.some((b) => b >= 0x80)) return false;
  try {
    // stream: a character cut at the end of the prescan window is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, PRESCAN_BYTES), { stream: true });
    return true;
  } catch {
    return false;
  }
}
