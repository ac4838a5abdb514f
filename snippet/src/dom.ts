/**
 * @module
 * Everything the snippet does to the host page's DOM. It must work under a strict CSP (no
 * inline `<style>` or `style=""`, no eval) and with Trusted Types enforced, so styles come from a
 * constructable stylesheet and HTML goes through a Trusted Types policy named `dashiwake`.
 */

const d = document;

/** Hides waiting slots without removing their layout box (no jump when content arrives). */
export const PENDING = 'data-dw-pending';

/**
 * Adopts the snippet's few CSS rules. Constructable stylesheets are not inline styles, so CSP
 * `style-src` allows them; where unsupported, slots just are not hidden (a brief flicker).
 */
export function adoptStyles(): void {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(
      '[' + PENDING + ']{visibility:hidden}' +
        '.dw-preview{position:fixed;right:12px;bottom:12px;z-index:2147483647;padding:6px 12px;border-radius:6px;' +
        'background:#1f2937;color:#fff;font:13px/1.4 system-ui,sans-serif;box-shadow:0 2px 8px #0004}',
    );
    d.adoptedStyleSheets = d.adoptedStyleSheets.concat(sheet);
  } catch {}
}

/** Every `[data-dw-slot]` element of the page. */
export const slotElements = () => Array.from(d.querySelectorAll<HTMLElement>('[data-dw-slot]'));

/** Marks slots as waiting. */
export function pend(els: Element[]): void {
  for (const el of els) el.setAttribute(PENDING, '');
}

/** Shows every waiting slot, including ones the host page marked itself for zero flicker. */
export function reveal(): void {
  for (const el of Array.from(d.querySelectorAll('[' + PENDING + ']'))) el.removeAttribute(PENDING);
}

/** undefined: not tried yet; null: Trusted Types refused our policy. */
let policy: { createHTML(s: string): unknown } | null | undefined;

/**
 * Wraps HTML for `innerHTML`. The server has already sanitized variant HTML, so the policy passes
 * it through; it exists so pages enforcing Trusted Types can allow exactly this one writer.
 */
function trusted(html: string): unknown {
  const tt = (window as any).trustedTypes;
  if (!tt) return html;
  if (policy === undefined) {
    try {
      policy = tt.createPolicy('dashiwake', { createHTML: (s: string) => s });
    } catch {
      policy = null;
    }
  }
  return policy ? policy.createHTML(html) : html;
}

/** The default children of each slot that has been swapped, kept to restore them. */
const defaults = new WeakMap<Element, Node[]>();

/**
 * Shows `html` in a slot, or its default content when `html` is not a string (decision null or
 * `content: null`, e.g. the control arm). If the page refuses the HTML (Trusted Types without our
 * policy), the default content stays.
 */
export function fill(el: Element, html: unknown): void {
  const saved = defaults.get(el);
  if (typeof html == 'string') {
    if (!saved) defaults.set(el, Array.from(el.childNodes));
    try {
      el.innerHTML = trusted(html) as string;
    } catch {
      if (saved) el.replaceChildren(...saved);
    }
  } else if (saved) {
    el.replaceChildren(...saved);
    defaults.delete(el);
  }
}

let bannerEl: HTMLElement | undefined;

/** The small fixed "preview" label shown when the page was opened with `?dw_preview=`. */
export function banner(text: string): void {
  if (!bannerEl) {
    bannerEl = d.createElement('div');
    bannerEl.className = 'dw-preview';
    d.body.appendChild(bannerEl);
  }
  bannerEl.textContent = text;
}
