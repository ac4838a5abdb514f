/**
 * @module
 * Field errors from the API's zod issues: `{path: ['rule', 'conditions', 0, 'count']}` becomes
 * the key `rule.conditions.0.count`, which each form field looks up to show its message.
 */
import type { Issue } from '../api/client';

export type FieldErrors = Record<string, string>;

export const pathKey = (path: readonly (string | number)[]) => path.join('.');

/**
 * @example toFieldErrors([{path: ['key'], message: 'bad'}]) // {key: 'bad'}
 */
export function toFieldErrors(issues: readonly Issue[]): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues) {
    const key = pathKey(issue.path);
    out[key] ??= issue.message;
  }
  return out;
}

/** The first error at `prefix` or below it (a row shows errors of its own fields). */
export function errorUnder(errors: FieldErrors, prefix: string): string | undefined {
  if (errors[prefix]) return errors[prefix];
  const found = Object.keys(errors).find((k) => k.startsWith(`${prefix}.`));
  return found ? errors[found] : undefined;
}
