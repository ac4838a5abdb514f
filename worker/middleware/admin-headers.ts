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
 */
import type { MiddlewareHandler } from 'hono';

export const ADMIN_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' https:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const ADMIN_HEADERS: Record<string, string> = {
  'Content-Security-Policy': ADMIN_CSP,
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
};

/**
 * @example
 *   app.use('/admin/*', adminHeaders()); // Hono's "/admin/*" also matches "/admin"
 */
export function adminHeaders(): MiddlewareHandler {
  return async function setAdminHeaders(c, next) {
    await next();
    // Asset responses come from the ASSETS binding with immutable headers: copy before setting.
    const res = new Response(c.res.body, c.res);
    for (const [name, value] of Object.entries(ADMIN_HEADERS)) res.headers.set(name, value);
    c.res = res;
  };
}
