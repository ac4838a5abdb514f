/**
 * @module
 * Security headers for the admin console (/admin, /admin/*). The console holds a token that can
 * change every visitor's content, so its pages run only the console's own bundle: no inline or
 * injected script, no plugins, no framing by other sites (clickjacking), no `<base>` rewriting
 * where the bundle loads from, forms post only to the console itself, and nothing about admin
 * URLs leaks to other sites through the Referer.
 *
 * The vite build fits this: one module script and one stylesheet from /admin/assets, no inline
 * script or style element (Preact sets `style` props through the CSSOM, which style-src does not
 * govern). The variant preview is an `srcdoc` frame, which inherits this policy: its stylesheet
 * is a file too (admin/public/variant-preview.css). Images are allowed from any https host so the
 * preview shows a variant's images where they are hosted.
 *
 * When the site settings name a stylesheet for the variant preview, the console's page (its
 * HTML: the policy a document gets is the one it is served with) also allows stylesheets from
 * that one origin — the site's own CSS, nothing else. Stylesheets cannot run script. The
 * preview screen frames the previewed page (`frame-src`): the console's own origin (the demo)
 * or an https site, in a sandboxed frame that cannot navigate the console.
 */
import type { Context, MiddlewareHandler } from 'hono';

/**
 * The console's policy; `styleOrigin` is the preview stylesheet's origin, when one is set.
 * @example adminCsp('https://www.example.co.jp') // "…; style-src 'self' https://www.example.co.jp; …"
 */
export function adminCsp(styleOrigin: string | null = null): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    styleOrigin ? `style-src 'self' ${styleOrigin}` : "style-src 'self'",
    "img-src 'self' https:",
    "frame-src 'self' https:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export const ADMIN_CSP = adminCsp();

const OTHER_HEADERS: Record<string, string> = {
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
};

/** An origin a policy can name: scheme://host[:port] and nothing that could end the directive. */
const SAFE_ORIGIN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i;

/**
 * `styleOrigin` reads the preview stylesheet's origin (null: none); it is asked for HTML only,
 * and a failure to read it gives the default policy.
 * @example
 *   app.use('/admin/*', adminHeaders<Context<App>>(async (c) => stylesheetOrigin(await readSiteSettings(c.var.svc)))); // also matches "/admin"
 */
export function adminHeaders<C extends Context>(styleOrigin?: (c: C) => Promise<string | null>): MiddlewareHandler {
  return async function setAdminHeaders(c, next) {
    await next();
    // Asset responses come from the ASSETS binding with immutable headers: copy before setting.
    const res = new Response(c.res.body, c.res);
    let origin: string | null = null;
    if (styleOrigin && (res.headers.get('content-type') ?? '').startsWith('text/html')) {
      origin = await styleOrigin(c as C).catch(() => null);
      if (origin && !SAFE_ORIGIN.test(origin)) origin = null;
    }
    res.headers.set('Content-Security-Policy', adminCsp(origin));
    for (const [name, value] of Object.entries(OTHER_HEADERS)) res.headers.set(name, value);
    c.res = res;
  };
}
