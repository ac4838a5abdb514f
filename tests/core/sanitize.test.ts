import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sanitizeHtml, type Removal } from '../../worker/core/sanitize';
import rawCases from './cases/sanitize.json';

interface Case {
  name: string;
  input: string;
  html: string;
  removedNames: string[];
  removedKinds?: Removal['kind'][];
}
const cases = rawCases as Case[];

// ---------------------------------------------------------------------------------------------
// An independent, deliberately strict reader of the sanitizer's output: the output must be a
// sequence of escaped text and simple well-formed tags (lower-case names, double-quoted values
// without raw `<`, `>` or `"`), balanced, using only the allowlist. Written from the policy, not
// from the implementation.

const ELEMENTS = new Set(
  'a abbr article b blockquote br button caption cite code dd div dl dt em figcaption figure footer h1 h2 h3 h4 h5 h6 header hr i img li mark ol p picture pre q s section small source span strong sub sup table tbody td tfoot th thead time tr u ul'.split(
    ' ',
  ),
);
const VOIDS = new Set(['br', 'hr', 'img', 'source']);
const GLOBAL = new Set(['class', 'id', 'title', 'lang', 'dir', 'role']);
const PER_ELEMENT: Record<string, string[]> = {
  a: ['href', 'target', 'rel'],
  img: ['src', 'srcset', 'alt', 'width', 'height', 'loading', 'decoding'],
  source: ['srcset', 'type', 'media'],
  td: ['colspan', 'rowspan', 'scope'],
  th: ['colspan', 'rowspan', 'scope'],
  time: ['datetime'],
  ol: ['start', 'reversed', 'type'],
  button: ['type'],
};
const TAG = /<(\/?)([a-z][a-z0-9]*)((?: [a-z][a-z0-9_.:-]*(?:="[^"<>]*")?)*)>/y;
const ATTR = / ([a-z][a-z0-9_.:-]*)(?:="([^"]*)")?/g;
const TEXT_REF = /&(?:[a-zA-Z][a-zA-Z0-9]*|#[0-9]+|#[xX][0-9a-fA-F]+);/y;

/** URL values are fully escaped by the sanitizer: only these four references may appear. */
function decodeUrlValue(v: string, problems: string[]): string {
  const rest = v.replace(/&(amp|quot|lt|gt);/g, '');
  if (rest.includes('&')) problems.push(`unescaped & in URL value ${v}`);
  return v.replace(/&(amp|quot|lt|gt);/g, (_, n: string) => ({ amp: '&', quot: '"', lt: '<', gt: '>' })[n]!);
}

function dangerousUrl(url: string): boolean {
  const probe = url.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
  return /^(javascript|vbscript|data|livescript):/.test(probe) || /(java|vb)script:/.test(probe);
}

function checkOutput(html: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  if (/<script/i.test(html)) problems.push('contains <script');
  for (let i = 0; i < html.length; ) {
    const ch = html[i];
    if (ch === '<') {
      TAG.lastIndex = i;
      const m = TAG.exec(html);
      if (!m) {
        problems.push(`malformed markup at ${i}: ${html.slice(i, i + 30)}`);
        break;
      }
      const [, close, name, attrs] = m as unknown as [string, string, string, string];
      if (!ELEMENTS.has(name)) problems.push(`element ${name}`);
      if (close) {
        if (attrs) problems.push(`attributes on </${name}>`);
        if (VOIDS.has(name)) problems.push(`end tag for void ${name}`);
        const top = stack.pop();
        if (top !== name) problems.push(`</${name}> closes <${top}>`);
      } else {
        if (!VOIDS.has(name)) stack.push(name);
        const seen = new Set<string>();
        for (const [, attr, value = ''] of attrs.matchAll(ATTR) as IterableIterator<[string, string, string?]>) {
          if (seen.has(attr)) problems.push(`duplicate ${attr}`);
          seen.add(attr);
          if (/^on/.test(attr) || attr === 'style') problems.push(`attribute ${attr}`);
          const ok =
            GLOBAL.has(attr) ||
            PER_ELEMENT[name]?.includes(attr) ||
            (/^(data-[a-z0-9_.-]+|aria-[a-z]+)$/.test(attr) && attr !== 'data-dw-slot');
          if (!ok) problems.push(`attribute ${attr} on ${name}`);
          if (attr === 'href' || attr === 'src' || attr === 'srcset') {
            const url = decodeUrlValue(value, problems);
            const parts = attr === 'srcset' ? url.split(/[\s,]+/) : [url];
            if (parts.some(dangerousUrl)) problems.push(`${attr}=${url}`);
          }
          if (attr === 'target' && value !== '_blank' && value !== '_self') problems.push(`target=${value}`);
        }
        if (name === 'button' && !/ type="button"/.test(attrs)) problems.push('button without type=button');
        if (/ target="_blank"/.test(attrs) && !/ rel="[^"]*noopener[^"]*"/.test(attrs)) problems.push('_blank without noopener');
      }
      i = TAG.lastIndex;
      continue;
    }
    if (ch === '>') problems.push(`raw > at ${i}`);
    if (ch === '&') {
      TEXT_REF.lastIndex = i;
      if (!TEXT_REF.test(html)) problems.push(`bare & at ${i}`);
    }
    i++;
  }
  if (stack.length) problems.push(`unclosed ${stack.join(',')}`);
  return problems;
}

function expectSafeAndStable(input: string) {
  const first = sanitizeHtml(input);
  expect(checkOutput(first.html), JSON.stringify({ input, html: first.html })).toEqual([]);
  const second = sanitizeHtml(first.html);
  expect(second.html, JSON.stringify(input)).toBe(first.html);
  expect(second.removed, JSON.stringify(input)).toEqual([]);
}

// ---------------------------------------------------------------------------------------------

describe('sanitizeHtml', () => {
  it('matches the documented example', () => {
    expect(sanitizeHtml('<p onclick="x()">Hi</p><script>alert(1)</script>')).toEqual({
      html: '<p>Hi</p>',
      removed: [
        { kind: 'attribute', name: 'onclick' },
        { kind: 'element', name: 'script' },
      ],
    });
  });

  it.each(cases)('$name', ({ input, html, removedNames, removedKinds }) => {
    const result = sanitizeHtml(input);
    expect(result.html).toBe(html);
    expect(result.removed.map((r) => r.name)).toEqual(removedNames);
    if (removedKinds) expect(result.removed.map((r) => r.kind)).toEqual(removedKinds);
    expectSafeAndStable(input);
  });

  it('explains removals in detail where it helps', () => {
    const { removed } = sanitizeHtml(
      '<a href="javascript:alert(1)">x</a><font>y</font><button type=submit>b</button><img src=x onerror=alert(1)',
    );
    expect(removed).toEqual([
      { kind: 'url', name: 'href', detail: 'javascript:' },
      { kind: 'element', name: 'font', detail: 'tag removed, content kept' },
      { kind: 'attribute', name: 'type', detail: 'forced to type="button"' },
      { kind: 'element', name: 'img', detail: 'unterminated tag' },
    ]);
  });

  it('never throws on odd input types at runtime', () => {
    expect(sanitizeHtml(undefined as unknown as string)).toEqual({ html: '', removed: [] });
    expect(sanitizeHtml('')).toEqual({ html: '', removed: [] });
  });
});

describe('sanitizeHtml properties', () => {
  const fragments = [
    '<script>',
    '</script>',
    '<SCRIPT SRC=//x>',
    '<scr',
    'ipt>',
    '<script',
    '</script',
    '<style>',
    '</style>',
    '<svg>',
    '</svg>',
    '<svg/onload=alert(1)>',
    '<math>',
    '<mtext>',
    '<mglyph>',
    '<table>',
    '<noscript>',
    '</noscript>',
    '<textarea>',
    '<title>',
    '<xmp>',
    '<iframe srcdoc="',
    '<template>',
    '<plaintext>',
    '<object>',
    '<!--',
    '-->',
    '<!-->',
    '--!>',
    '<![CDATA[',
    ']]>',
    '<?',
    '<!',
    '</',
    '<',
    '>',
    '/>',
    '/',
    '=',
    '"',
    "'",
    '`',
    ' ',
    '\t',
    '\n',
    '\r',
    '\0',
    '&',
    ';',
    '#',
    '&#',
    '&#x',
    '&#106;',
    '&#x6A',
    '&colon;',
    '&Tab;',
    '&NewLine;',
    '&lt;',
    '&amp;',
    'javascript:',
    'JaVaScRiPt:',
    'java',
    'script:',
    'vbscript:',
    'data:text/html,',
    'alert(1)',
    'x',
    '<a',
    '<a href=',
    ' href=',
    ' href="',
    ' src=',
    ' srcset=',
    ' style=',
    ' style="',
    'expression(',
    'url(',
    ' onerror=',
    ' onclick="',
    ' onload',
    ' on',
    'error=',
    ' formaction=',
    ' xlink:href=',
    ' target=_blank',
    ' rel=',
    ' data-dw-slot=',
    ' data-x=',
    ' aria-label=',
    '<img',
    '<img src=x',
    '<p',
    '<p>',
    '</p>',
    '<div>',
    '</div>',
    '<b>',
    '</b>',
    '<br>',
    '<button',
    '<form>',
    '<picture><source',
    '<source',
    '<table><td>',
    '<pre>',
    '<ul>',
    '<li>',
    '</li>',
    '<dl><dt>',
    '<dd>',
    '<h1>',
    '<h2>',
    '</h1>',
    '<tr>',
    '<td>',
    '<th>',
    '</table>',
    '<a href=/x>',
    '</a>',
  ];
  const soup = fc.array(fc.constantFrom(...fragments), { maxLength: 40 }).map((a) => a.join(''));

  it('fragment soup never yields script, handlers, style or javascript: URLs, and is idempotent', () => {
    fc.assert(fc.property(soup, expectSafeAndStable), { numRuns: 3000 });
  });

  it('random markup-ish characters are handled safely and idempotently', () => {
    const chars = fc.string({
      unit: fc.constantFrom(...'<>/="\'`&;#!?-[] \t\nxaAsSjJ:0\u0000\u00a0\uFFFD'.split('')),
      maxLength: 80,
    });
    fc.assert(fc.property(chars, expectSafeAndStable), { numRuns: 3000 });
  });

  it('arbitrary unicode strings are handled safely and idempotently', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 60 }), expectSafeAndStable), { numRuns: 1000 });
  });

  it('built-up elements with arbitrary attribute values keep only safe URLs', () => {
    const tag = fc.constantFrom('a', 'img', 'A', 'IMG', 'source', 'button', 'div');
    const attr = fc.constantFrom('href', 'src', 'srcset', 'HREF', 'onclick', 'style', 'target', 'type', 'title');
    const value = fc.string({ unit: fc.constantFrom(...'javscriptJAVS:&#x6;09\t\n \0 ()/.colnTab'.split('')), maxLength: 24 });
    const quote = fc.constantFrom('"', "'", '');
    const el = fc
      .tuple(tag, fc.array(fc.tuple(attr, quote, value), { maxLength: 4 }))
      .map(([t, as]) => `<${t}${as.map(([a, q, v]) => ` ${a}=${q}${v}${q}`).join('')}>x</${t}>`);
    fc.assert(
      fc.property(
        fc.array(el, { maxLength: 4 }).map((a) => a.join('')),
        expectSafeAndStable,
      ),
      { numRuns: 2000 },
    );
  });
});

describe('sanitizeHtml on worst-case sizes', () => {
  const N = 32_000;
  const fill = (s: string) => s.repeat(Math.ceil(N / s.length)).slice(0, N);
  const shapes = {
    'open tags': fill('<div>'),
    'end tags with nothing open': fill('</span>'),
    'unterminated attributes': fill('<a b=c '),
    ampersands: fill('&'),
    'almost-entities': fill('&#x'),
    'comment openers': fill('<!--'),
    'comment dashes': `<!--${fill('-')}`,
    'script with near-miss end tags': `<script>${fill('</scrip')}`,
    'nested dropped elements': fill('<object>'),
    'lone less-thans': fill('<'),
    'attribute soup': `<p${fill(' a=b')}>`,
    'srcset candidates': `<img srcset="${fill('a.png 1x,')}">`,
    'deep nesting': fill('<span>'),
    'blocks under a table inside a paragraph': `<p><table>${fill('<div>')}`,
    'list items under spans': `<ul><li>${fill('<b><li>')}`,
  };
  // No stopwatch here (speed belongs to the bench): a super-linear path on these 32,000-char
  // worst cases would run for minutes and fail on the test timeout instead.
  it.each(Object.entries(shapes))('%s: 32,000 chars give safe output', (_, input) => {
    const { html } = sanitizeHtml(input);
    expect(checkOutput(html)).toEqual([]);
  });
});
