/**
 * @module
 * Everything the snippet does to the host page's DOM. It must work under a strict CSP (no
 * inline `<style>` or `style=""`, no eval) and with Trusted Types enforced, so styles come from a
 * constructable stylesheet and HTML goes through a Trusted Types policy named `dashiwake`.
 */
import { d, w } from './env';
import { safe } from './safe';

/**
 * Adopts the snippet's CSS: waiting slots are hidden without losing their layout box (no jump
 * when content arrives). Constructable stylesheets are not inline styles, so CSP `style-src`
 * allows them; where unsupported (or where `adoptedStyleSheets` is still a frozen array, before
 * Chrome 99), slots just are not hidden (a brief flicker at worst).
 */
export const adoptStyles = safe(() => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(
    '[data-dw-pending]{visibility:hidden}.dw-preview{position:fixed;left:0;bottom:0;z-index:99999;background:#fd0;color:#000}',
  );
  d.adoptedStyleSheets.push(sheet);
});

/** Every `[data-dw-slot]` element of the page. */
export const slotElements = () => [...d.querySelectorAll<HTMLElement>('[data-dw-slot]')];

/** Marks slots as waiting (`data-dw-pending`). */
export const pend = (els: HTMLElement[]) => els.forEach((el) => (el.dataset.dwPending = ''));

/** Shows every waiting slot, including ones the host page marked itself for zero flicker. */
export const reveal = () => d.querySelectorAll<HTMLElement>('[data-dw-pending]').forEach((el) => delete el.dataset.dwPending);

let policy: { createHTML(s: string): unknown } | undefined;

/**
 * Wraps HTML for `innerHTML`. The server has already sanitized variant HTML, so the policy passes
 * it through; it exists so pages enforcing Trusted Types can allow exactly this one writer. Throws
 * when the page refuses the policy: the caller then keeps the default content.
 */
function trusted(html: string): unknown {
  const tt = w.trustedTypes;
  return tt ? (policy = policy || tt.createPolicy('dashiwake', { createHTML: (s: string) => s })).createHTML(html) : html;
}

/** The default children of each slot that has been swapped, kept to restore them. */
const defaults = new WeakMap<Element, Node[]>();

/**
 * Shows `html` in a slot, or its default content when `html` is not a string (decision null or
 * `content: null`, e.g. the control arm). If the page refuses the HTML (Trusted Types without our
 * policy), the default content stays: `trusted` throws before `innerHTML` changes anything.
 */
export function fill(el: Element, html: unknown): void {
  let saved = defaults.get(el);
  // A slot the edge filled (rewrite mode) holds the page's own content in a template: that is the
  // default to keep, not what the slot shows.
  const kept = saved ? 0 : el.querySelector<HTMLTemplateElement>('template[data-dw-default]');
  if (kept) defaults.set(el, (saved = [...kept.content.childNodes]));
  if (typeof html == 'string') {
    if (!saved) defaults.set(el, [...el.childNodes]);
    el.innerHTML = trusted(html) as string;
  } else if (saved) {
    el.replaceChildren(...saved);
    defaults.delete(el);
  }
}

let bannerEl: HTMLElement | undefined;

/** The small fixed "preview" label shown when the page was opened with `?dw_preview=`. */
export function banner(text: string): void {
  if (!bannerEl) {
    bannerEl = d.body.appendChild(d.createElement('div'));
    bannerEl.className = 'dw-preview';
  }
  bannerEl.textContent = text;
}
