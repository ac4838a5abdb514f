/**
 * @module
 * The streaming rewrite of one HTML page (Cloudflare's `HTMLRewriter`, lol-html underneath):
 * bytes flow through as they come; only at the first `[data-dw-slot]` element does the page
 * wait, and only for the decision (page-decision.ts bounds that wait). Then:
 *
 * - each slot with content for the visitor gets it, and every decided slot gets
 *   `data-dw-decided` (the variant id, or `default` when the page's own content stays);
 * - the page's own content of a filled slot stays in it, inert, in a
 *   `<template data-dw-default>` after the variant: never rendered, its images not loaded, its
 *   scripts not run. When a later decide on the page (after `identify`, or `refresh()`) answers
 *   default for the slot, the snippet shows that content again (docs/edge-rewrite.md);
 * - `<meta name="dw:decided" content="<page view id>">` goes in just before the first slot, so
 *   the snippet sends no second decide and no second page view for this page;
 * - at the end of the document, `<script type="application/json" id="dw-decision">` holds what
 *   every slot showed (segment, variant, experiment, arm — no HTML): the snippet pushes the same
 *   `dw_exposure` entries to `dataLayer` as after its own decide, and hands it to `ready`
 *   callbacks; with the writes queue it also holds the next page's profile token, which the
 *   snippet keeps in the `dw_pt` cookie for the edge. A data block is never run, so a strict CSP (`script-src` without inline scripts,
 *   Trusted Types) has nothing to refuse.
 *
 * Told the page's encoding, the rewriter writes inserted HTML in it (numeric character
 * references for characters it cannot hold, e.g. an emoji in a Shift_JIS page) and every byte it
 * does not change comes out as it went in. A page with no slot comes out byte for byte.
 */
import { slug } from '../../schema/config';
import type { PageDecision } from './page-decision';
import { headFirst, type Peeked } from './streams';

/** A page asks for at most this many slots, as `/v1/decide` takes. */
export const MAX_SLOTS = 20;

const SLOT_ATTRIBUTE = new TextEncoder().encode('data-dw-slot');

/** Where the tag holding the first `data-dw-slot` starts in `chunk` (its `<`), or -1. */
export function slotTagStart(chunk: Uint8Array): number {
  const [first] = SLOT_ATTRIBUTE;
  search: for (let i = chunk.indexOf(first!); i >= 0; i = chunk.indexOf(first!, i + 1)) {
    for (let j = 1; j < SLOT_ATTRIBUTE.length; j++) if (chunk[i + j] !== SLOT_ATTRIBUTE[j]) continue search;
    return chunk.lastIndexOf(0x3c, i); // '<'
  }
  return -1;
}

/**
 * The page's decision as a JSON data block. Only ASCII goes in (`\uXXXX` escapes), so it reads
 * the same in any page encoding (a numeric character reference would not be decoded inside a
 * script element), and no `<` can close the element early.
 * @example decisionScript({ visitorId: 'v1', segment: null, slots: {} })
 *   // '<script type="application/json" id="dw-decision">{"visitorId":"v1","segment":null,"slots":{}}</script>'
 */
export function decisionScript(summary: ReturnType<PageDecision['summary']>): string {
  const json = JSON.stringify(summary).replace(/[^\x20-\x7e]|</g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `<script type="application/json" id="dw-decision">${json}</script>`;
}

/**
 * @example
 *   return new Response(rewritePage(peek(res.body), 'shift_jis', page), { status: 200, headers });
 */
export function rewritePage(body: Peeked, charset: string, page: PageDecision): ReadableStream<Uint8Array> {
  let category: string | null = null;
  let first = true;
  let decided = false;
  const names = new Set<string>();
  /** Inside a slot whose content was replaced: a slot nested in it is part of the kept default, not decided. */
  let replacing = 0;

  const rewriter = new HTMLRewriter()
    .on('meta[name="dw:category"]', {
      element(el) {
        const content = el.getAttribute('content');
        if (first && category === null && content && slug.safeParse(content).success) category = content;
      },
    })
    .on('[data-dw-slot]', {
      async element(el) {
        if (replacing) return;
        const name = el.getAttribute('data-dw-slot') ?? '';
        if (!slug.safeParse(name).success || (!names.has(name) && names.size >= MAX_SLOTS)) return;
        names.add(name);
        if (first) {
          first = false;
          decided = (await page.decide(name, category)) !== null;
          if (decided) el.before(`<meta name="dw:decided" content="${page.pageViewId}">`, { html: true });
        }
        if (!decided) return;
        const decision = page.slot(name);
        const html = decision?.content?.html;
        // A throw here would break the page mid-stream: a slot that cannot take content (a void
        // element, one already removed) keeps what it has.
        try {
          if (typeof html === 'string' && !el.removed) {
            // Throws for an element without an end tag (a void element), before anything changed.
            el.onEndTag(() => {
              replacing--;
            });
            // The browser's parser puts everything between the two insertions, the page's own
            // content, in the template. A slot nested in it stays as it is.
            el.prepend(`${html}<template data-dw-default>`, { html: true });
            el.append('</template>', { html: true });
            replacing++;
          }
          el.setAttribute('data-dw-decided', (html !== undefined && decision?.variant) || 'default');
        } catch {}
      },
    })
    .onDocument({
      async end(end) {
        // The next page's token goes in the block; it is signed right after the decision, long
        // before a page's end arrives, but a page of a few bytes may get here first.
        if (decided) await page.tokenSigned();
        if (decided) end.append(decisionScript(page.summary()), { html: true });
        page.finish();
      },
    });
  // The rewriter takes the encoding from the Content-Type of the response it transforms.
  return rewriter.transform(new Response(headFirst(body, slotTagStart), { headers: { 'content-type': `text/html; charset=${charset}` } }))
    .body!;
}
