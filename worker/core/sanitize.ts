/**
 * @module
 * Allowlist sanitizer for marketer-authored variant HTML. The admin API runs it on save (in
 * the Worker, no DOM) and stores only its output; the admin console runs the same function for
 * its live preview and lists `removed` so the marketer sees what was taken out and why.
 *
 * How it stays safe: the input is tokenized ({@link tokenize}) and the output is *rebuilt*
 * from tokens — only allowlisted tag names (written from our own constants), only allowlisted
 * attribute names, every value double-quoted with `& " < >` escaped, text with `< > &` escaped,
 * no comments. A browser parsing the output therefore sees exactly the elements and values we
 * checked, whatever tricks the input played on tokenizers.
 *
 * Policy choices:
 * - Dropped with their content: script, style, iframe, object, embed, template, noscript, svg,
 *   math, textarea, select, title, head, link, meta, base, frame, frameset, applet, xmp,
 *   noembed, noframes, plaintext. SVG/MathML go entirely (their parsing rules are where
 *   mutation XSS lives).
 * - `<form>`: the tag is dropped and its (sanitized) content kept, like any unknown element —
 *   inputs inside are dropped as unknown, and `<button>` is always `type="button"`, so nothing
 *   can submit anywhere.
 * - URLs (href, src, every srcset candidate): http, https, mailto, tel or relative. `data:` is
 *   refused everywhere, including `<img src>`, and so is any URL containing `javascript:` or
 *   `vbscript:` anywhere, even in a query (see ./sanitize/urls). A refused URL removes the
 *   attribute (`kind: 'url'`, detail = the scheme).
 * - `<source>` is kept only directly inside `<picture>`, with srcset/type/media.
 * - `target` must be `_blank` or `_self`; `_blank` gets `rel="noopener noreferrer"` added.
 * - `rel` is normalised to lower-case, single-space-separated tokens.
 * - Duplicate attributes: the first wins (as in browsers); later ones are reported removed.
 * - Text and non-URL attribute values keep the author's character references (`&copy;`,
 *   `&#8212;`); URL values are decoded, checked, and re-escaped.
 * - Structure: common implied end tags are applied (`<li>a<li>b`, `<p>a<div>`, table cells,
 *   `<dd>/<dt>`, nested headings and links) so the output parses as the input would; unclosed
 *   elements are closed at the end; an end tag closes any elements opened inside it; end tags
 *   with nothing to close are dropped silently (not reported). Nesting deeper than 256 is
 *   unwrapped ("nested too deeply").
 * - A tag cut off by the end of input (`<img src=x onerror=…`) is discarded, as browsers do,
 *   and reported with detail "unterminated tag".
 * - Length is not enforced here; the API rejects inputs over {@link MAX_VARIANT_HTML_LENGTH}.
 */
import { decodeEntities, encodeRaw, escapeAttr } from './sanitize/entities';
import { tokenize, type Attr } from './sanitize/tokenize';
import { refusedScheme, refusedSrcset } from './sanitize/urls';

export interface Removal {
  kind: 'element' | 'attribute' | 'url' | 'comment';
  name: string;
  detail?: string;
}
export interface SanitizeResult {
  html: string;
  removed: Removal[];
}

/** The size the admin API accepts for variant HTML (the sanitizer itself is linear in any size). */
export const MAX_VARIANT_HTML_LENGTH = 32_000;

const VOID = new Set(['br', 'hr', 'img', 'source']);

const ALLOWED_ELEMENTS = new Set([
  'a',
  'abbr',
  'article',
  'b',
  'blockquote',
  'br',
  'button',
  'caption',
  'cite',
  'code',
  'dd',
  'div',
  'dl',
  'dt',
  'em',
  'figcaption',
  'figure',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'i',
  'img',
  'li',
  'mark',
  'ol',
  'p',
  'picture',
  'pre',
  'q',
  's',
  'section',
  'small',
  'source',
  'span',
  'strong',
  'sub',
  'sup',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'time',
  'tr',
  'u',
  'ul',
]);

/** Removed together with everything up to their matching end tag (void ones: just the tag). */
const DROP_WITH_CONTENT = new Set([
  'script',
  'style',
  'iframe',
  'object',
  'embed',
  'template',
  'noscript',
  'svg',
  'math',
  'textarea',
  'select',
  'title',
  'head',
  'link',
  'meta',
  'base',
  'frame',
  'frameset',
  'applet',
  'xmp',
  'noembed',
  'noframes',
  'plaintext',
]);
const DROP_VOID = new Set(['embed', 'link', 'meta', 'base', 'frame']);
/** Unknown void elements have no content to keep, so their report says just "tag removed". */
const OTHER_VOID = new Set(['input', 'area', 'col', 'wbr', 'param', 'track', 'keygen', 'image', 'basefont', 'bgsound']);
/** Foreign elements honour `/>` (an empty `<svg/>` has no content to skip). */
const FOREIGN = new Set(['svg', 'math']);

/**
 * Implied end tags, so hand-written `<li>a<li>b` or `<p>a<div>` serialize the way browsers
 * parse them. For each start tag: which open elements it closes (`closes`), searching from the
 * innermost and giving up at a `stop` element. A simplified subset of the HTML tree builder.
 */
const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'];
const CELL_SCOPE = ['table', 'td', 'th', 'caption', 'button'];
const LIST_STOP = [
  'article',
  'blockquote',
  'button',
  'caption',
  'dl',
  'figcaption',
  'figure',
  'footer',
  'header',
  'ol',
  'pre',
  'section',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
  ...HEADINGS,
];
type Implied = { closes: Set<string>; stop: Set<string> };
const IMPLIED: Record<string, Implied[]> = {};
const imply = (names: string[], closes: string[], stop: string[]) => {
  const rule = { closes: new Set(closes), stop: new Set(stop) };
  for (const n of names) (IMPLIED[n] ??= []).push(rule);
};
imply(['li'], ['li'], [...LIST_STOP, 'dd', 'dt']);
imply(['dd', 'dt'], ['dd', 'dt'], [...LIST_STOP, 'li']);
imply(['td', 'th'], ['td', 'th'], ['tr', 'table']);
imply(['tr'], ['tr'], ['table']);
imply(['thead', 'tbody', 'tfoot'], ['thead', 'tbody', 'tfoot'], ['table']);
imply(['a'], ['a'], CELL_SCOPE);
imply(
  [
    'article',
    'blockquote',
    'div',
    'dl',
    'figcaption',
    'figure',
    'footer',
    'header',
    'ol',
    'p',
    'section',
    'ul',
    'pre',
    'li',
    'dd',
    'dt',
    'table',
    'hr',
    ...HEADINGS,
  ],
  ['p'],
  CELL_SCOPE,
);
const HEADING = new Set(HEADINGS);
/** Deeper nesting than this is unwrapped; it also bounds every stack search (linear time). */
const MAX_DEPTH = 256;

const GLOBAL_ATTRS = new Set(['class', 'id', 'title', 'lang', 'dir', 'role']);
const ELEMENT_ATTRS: Record<string, Set<string>> = {
  a: new Set(['href', 'target', 'rel']),
  img: new Set(['src', 'srcset', 'alt', 'width', 'height', 'loading', 'decoding']),
  source: new Set(['srcset', 'type', 'media']),
  td: new Set(['colspan', 'rowspan', 'scope']),
  th: new Set(['colspan', 'rowspan', 'scope']),
  time: new Set(['datetime']),
  ol: new Set(['start', 'reversed', 'type']),
  button: new Set(['type']),
};
const URL_ATTRS = new Set(['href', 'src']);
const DATA_ATTR = /^data-[a-z0-9_.-]+$/;
const ARIA_ATTR = /^aria-[a-z]+$/;
/** The snippet fills `[data-dw-slot]` elements; one inside a variant would nest slots. */
const RESERVED_ATTRS = new Set(['data-dw-slot']);

/** Names from malformed input can be long; reports keep the first 64 characters. */
const label = (name: string) => (name.length > 64 ? `${name.slice(0, 64)}…` : name);

function attrAllowed(tag: string, name: string): boolean {
  if (GLOBAL_ATTRS.has(name) || ELEMENT_ATTRS[tag]?.has(name)) return true;
  if (RESERVED_ATTRS.has(name)) return false;
  return DATA_ATTR.test(name) || ARIA_ATTR.test(name);
}

const asciiWs = /[\t\n\f\r ]+/;

/** Serializes the allowed attributes of an allowed element, reporting what it drops. */
function attributes(tag: string, attrs: Attr[], removed: Removal[]): string {
  const seen = new Set<string>();
  const out: string[] = [];
  let blank = false;
  let relAt = -1;
  let rel: string[] = [];
  for (const { name, value } of attrs) {
    if (seen.has(name)) {
      removed.push({ kind: 'attribute', name: label(name), detail: 'duplicate' });
      continue;
    }
    seen.add(name);
    if (!attrAllowed(tag, name)) {
      removed.push(
        RESERVED_ATTRS.has(name) ? { kind: 'attribute', name, detail: 'reserved for slots' } : { kind: 'attribute', name: label(name) },
      );
      continue;
    }
    const raw = value ?? '';
    if (tag === 'button' && name === 'type') {
      if (decodeEntities(raw, true).trim().toLowerCase() !== 'button') {
        removed.push({ kind: 'attribute', name, detail: 'forced to type="button"' });
      }
      continue; // re-added below
    }
    if (URL_ATTRS.has(name) || name === 'srcset') {
      const url = decodeEntities(raw, true);
      const bad = name === 'srcset' ? refusedSrcset(url) : refusedScheme(url);
      if (bad) removed.push({ kind: 'url', name, detail: bad });
      else out.push(`${name}="${escapeAttr(url)}"`);
      continue;
    }
    if (tag === 'a' && name === 'target') {
      const target = decodeEntities(raw, true).trim().toLowerCase();
      if (target !== '_blank' && target !== '_self') {
        removed.push({ kind: 'attribute', name, detail: 'only _blank or _self' });
        continue;
      }
      blank = target === '_blank';
      out.push(`target="${target}"`);
      continue;
    }
    if (name === 'rel') {
      rel = decodeEntities(raw, true).toLowerCase().split(asciiWs).filter(Boolean);
      relAt = out.length;
      out.push('');
      continue;
    }
    out.push(value === null ? name : `${name}="${encodeRaw(value, true)}"`);
  }
  if (blank) {
    for (const t of ['noopener', 'noreferrer']) if (!rel.includes(t)) rel.push(t);
    if (relAt < 0) relAt = out.push('') - 1;
  }
  if (relAt >= 0) out[relAt] = `rel="${escapeAttr([...new Set(rel)].join(' '))}"`;
  if (tag === 'button') out.push('type="button"');
  return out.length ? ` ${out.join(' ')}` : '';
}

/**
 * Sanitizes variant HTML against the allowlist. Never throws; idempotent (sanitizing the
 * output again changes nothing and removes nothing).
 * @example sanitizeHtml('<p onclick="x()">Hi</p><script>alert(1)</script>') → { html: '<p>Hi</p>', removed: [{kind:'attribute',name:'onclick'}, {kind:'element',name:'script'}] }
 */
export function sanitizeHtml(input: string): SanitizeResult {
  const removed: Removal[] = [];
  const tokens = tokenize(String(input ?? '').replace(/\r\n?/g, '\n'));
  let html = '';
  /** Open allowed elements, innermost last, and how many of each name are open. */
  const stack: string[] = [];
  const open = new Map<string, number>();
  /** While set, tokens are dropped until `name`'s matching end tag. */
  let skip: { name: string; depth: number } | null = null;
  /** Closes stack[k] and everything inside it. */
  const closeTo = (k: number) => {
    while (stack.length > k) {
      const top = stack.pop()!;
      open.set(top, open.get(top)! - 1);
      html += `</${top}>`;
    }
  };

  for (const t of tokens) {
    if (skip) {
      if (t.type === 'start' && t.name === skip.name && !t.eof && !(t.selfClosing && FOREIGN.has(t.name))) skip.depth++;
      else if (t.type === 'end' && t.name === skip.name && !t.eof && --skip.depth === 0) skip = null;
      continue;
    }
    switch (t.type) {
      case 'text':
        html += encodeRaw(t.raw, false);
        break;
      case 'comment':
        removed.push({ kind: 'comment', name: t.name });
        break;
      case 'start': {
        const { name } = t;
        const report = (detail?: string) =>
          removed.push(detail ? { kind: 'element', name: label(name), detail } : { kind: 'element', name: label(name) });
        if (t.eof) {
          report('unterminated tag');
        } else if (DROP_WITH_CONTENT.has(name)) {
          report();
          if (!DROP_VOID.has(name) && !(t.selfClosing && FOREIGN.has(name))) skip = { name, depth: 1 };
        } else if (!ALLOWED_ELEMENTS.has(name)) {
          report(OTHER_VOID.has(name) ? 'tag removed' : 'tag removed, content kept');
        } else if (name === 'source' && stack[stack.length - 1] !== 'picture') {
          report('only allowed inside <picture>');
        } else if (stack.length >= MAX_DEPTH && !VOID.has(name)) {
          report('nested too deeply');
        } else {
          for (const rule of IMPLIED[name] ?? []) {
            if (![...rule.closes].some((c) => open.get(c))) continue;
            for (let k = stack.length - 1; k >= 0 && !rule.stop.has(stack[k]!); k--) {
              if (rule.closes.has(stack[k]!)) {
                closeTo(k);
                break;
              }
            }
          }
          // A heading directly inside a heading closes it.
          if (HEADING.has(name) && HEADING.has(stack[stack.length - 1]!)) closeTo(stack.length - 1);
          html += `<${name}${attributes(name, t.attrs, removed)}>`;
          if (!VOID.has(name)) {
            stack.push(name);
            open.set(name, (open.get(name) ?? 0) + 1);
          }
        }
        break;
      }
      case 'end': {
        if (!t.eof && !VOID.has(t.name) && open.get(t.name)) closeTo(stack.lastIndexOf(t.name));
        break;
      }
    }
  }
  while (stack.length) html += `</${stack.pop()}>`;
  return { html, removed };
}
