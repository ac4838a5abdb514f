/**
 * @module
 * What a failed request means to the marketer, in their language (never a stack trace).
 */
import { ApiFailure } from '../api/client';
import { t } from '../models/langModel';

export function errorText(err: unknown): string {
  if (err instanceof ApiFailure) {
    if (err.status === 0) return t('common.networkError');
    if (err.issues.length) return t('common.fixErrors');
    return err.message;
  }
  return t('common.error');
}
