/**
 * @module
 * What is kept of a page URL: scheme, host, path and the `utm_*` campaign parameters. Other query
 * parameters often carry personal data or secrets (an email in a newsletter link, a password
 * reset token), and the fragment is the page's own business, so neither is stored.
 */

const BASE = 'http://relative.invalid';

/**
 * @example storedPageUrl('https://ex.jp/reset?token=abc&utm_source=mail#top') // 'https://ex.jp/reset?utm_source=mail'
 * @example storedPageUrl('/pricing?email=a@b.jp') // '/pricing'
 */
export function storedPageUrl(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw, BASE);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const kept = new URLSearchParams();
  for (const [key, value] of url.searchParams) if (key.toLowerCase().startsWith('utm_')) kept.append(key, value);
  const query = kept.size ? `?${kept}` : '';
  const relative = url.origin === BASE;
  return `${relative ? '' : url.origin}${url.pathname}${query}`;
}
