/**
 * @module
 * What a failed request means to the marketer, in their language (never a stack trace, never
 * the server's English message).
 */
import { ApiFailure } from '../api/client';
import { experiments } from '../models/configModel';
import { t } from '../i18n/catalogue';
import { problemText } from './problemText';

const experimentName = (id: string) => experiments.value.find((e) => e.id === id)?.name || id;

export function errorText(err: unknown): string {
  if (err instanceof ApiFailure) {
    if (err.status === 0) return t('common.networkError');
    if (err.issues.length) return t('common.fixErrors');
    return problemText(err.code, err.params, experimentName);
  }
  return t('common.error');
}
