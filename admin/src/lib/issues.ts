/**
 * @module
 * Field errors from the API's issues: `{path: ['rule', 'conditions', 0, 'count']}` becomes
 * the key `rule.conditions.0.count`, which each form field looks up to show its message, worded
 * in the console's language from the issue's code (see problemText).
 */
import type { Issue } from '../api/client';
import { issueText } from './problemText';

export type FieldErrors = Record<string, string>;

export const pathKey = (path: readonly (string | number)[]) => path.join('.');

/**
 * @example toFieldErrors([{path: ['key'], code: 'custom', params: {reason: 'duplicate'}}]) // {key: 'すでに使われています。…'}
 */
export function toFieldErrors(issues: readonly Issue[]): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues) {
    const key = pathKey(issue.path);
    out[key] ??= issueText(issue);
  }
  return out;
}

/** The first error at `prefix` or below it (a row shows errors of its own fields). */
export function errorUnder(errors: FieldErrors, prefix: string): string | undefined {
  if (errors[prefix]) return errors[prefix];
  const found = Object.keys(errors).find((k) => k.startsWith(`${prefix}.`));
  return found ? errors[found] : undefined;
}
