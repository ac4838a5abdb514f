/**
 * @module
 * What the sanitizer will take out, seen while the marketer types (before saving): scripts,
 * event-handler attributes (`onclick=`) and `javascript:` links, each with a hint of what to
 * do instead. A quick look for the usual cases; the server's sanitizer stays the authority.
 */
import { t } from '../i18n/catalogue';

/**
 * @example htmlHints('<a onclick="x()">Go</a>') // ['onclick のようなイベント属性は…']
 */
export function htmlHints(html: string): string[] {
  const out: string[] = [];
  if (/<script[\s>/]/i.test(html)) out.push(t('form.htmlScript'));
  const handler = /<[^>]*\s(on[a-z]+)\s*=/i.exec(html);
  if (handler) out.push(t('form.htmlHandler', { name: handler[1]!.toLowerCase() }));
  if (/(?:href|src)\s*=\s*["']?\s*javascript:/i.test(html)) out.push(t('form.htmlJsUrl'));
  return out;
}

/** Characters as a person counts them (an emoji or 「あ」 is one), not UTF-16 units or bytes. */
export const charCount = (text: string) => [...text].length;
