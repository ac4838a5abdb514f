/**
 * @module
 * Why an alert delivery did not go through, in the reader's words.
 */
import { hasText, t } from '../i18n/catalogue';

/**
 * Why a delivery did not go through, in words (`status_500` → "HTTP 500"); an unknown code as it is.
 * @example deliveryError('timeout') // '10秒以内に応答がありませんでした'
 */
export function deliveryError(code: string | null): string {
  if (!code) return '';
  const status = /^status_(\d+)$/.exec(code);
  if (status) return t('al.error.status', { status: status[1]! });
  const key = `al.error.${code}`;
  return hasText(key) ? t(key) : code;
}
