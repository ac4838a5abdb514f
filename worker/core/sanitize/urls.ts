/**
 * @module
 * URL policy for `href`, `src` and `srcset`: http, https, mailto, tel, and relative URLs.
 * `data:` is refused everywhere (variant images belong on a host, and it keeps payloads in D1
 * small), as is every other scheme.
 *
 * Values arrive already entity-decoded. Before looking for a scheme we strip every ASCII
 * whitespace / control character (and C1 controls) anywhere in the value — browsers drop tabs
 * and newlines inside URLs and controls around them — and then treat whatever precedes the
 * first `:` as a scheme unless a `/`, `?` or `#` comes first. So `java\tscript:`, ` JaVaScRiPt:`
 * and `java\uFFFDscript:` (a NUL, as the tokenizer delivers it) are all refused: anything that
 * merely looks like a scheme and isn't on the list is refused, which is stricter than browsers.
 * Also deliberately strict: a URL whose stripped text contains `javascript:` or `vbscript:`
 * anywhere (`/go?to=javascript:…`) is refused too, in case something downstream (a redirect
 * endpoint, a tracking wrapper) turns part of it back into a URL.
 */

const SCHEMES = new Set(['http', 'https', 'mailto', 'tel']);

/**
 * The refused scheme (lower case, with its colon, shortened) or null when the URL is allowed.
 * @example refusedScheme(' jav\tascript:alert(1)') → 'javascript:'; refusedScheme('/pricing?a=b:c') → null
 */
export function refusedScheme(url: string): string | null {
  const probe = url.replace(/[\u0000-\u0020\u007f-\u009f]+/g, '');
  const embedded = /(java|vb)script:/i.exec(probe);
  if (embedded) return embedded[0].toLowerCase();
  const m = /[:/?#]/.exec(probe);
  if (m?.[0] !== ':') return null;
  const scheme = probe.slice(0, m.index).toLowerCase();
  if (SCHEMES.has(scheme)) return null;
  return `${scheme.length > 24 ? `${scheme.slice(0, 24)}…` : scheme}:`;
}

/**
 * Checks every candidate of a srcset. Rather than reproduce the srcset grammar, every
 * whitespace- or comma-separated piece must pass {@link refusedScheme}; descriptors (`2x`,
 * `480w`) have no colon, and an unusual URL containing a comma is at worst refused.
 * @example refusedSrcset('a.png 1x, javascript:x 2x') → 'javascript:'
 */
export function refusedSrcset(srcset: string): string | null {
  for (const piece of srcset.split(/[\t\n\f\r ,]+/)) {
    if (!piece) continue;
    const bad = refusedScheme(piece);
    if (bad) return bad;
  }
  return null;
}
