/**
 * @module
 * Words for the API's problems in the console's language, from their stable codes and params:
 * `{code: 'too_small', params: {origin: 'string', minimum: 1}}` → 「入力してください。」. The
 * server's English `message` is never shown, so no English reaches a Japanese screen; a code
 * the console does not know yet gets a general sentence in the reader's language.
 */
import type { Issue } from '../api/client';
import { hasText as known, type MessageKey, t } from '../i18n/catalogue';

const num = (v: unknown) => (typeof v === 'number' ? v : Number(v));

/** The message keys to try for an issue, most specific first. */
export function issueKeys(issue: Pick<Issue, 'code' | 'params'>): string[] {
  const p = issue.params ?? {};
  switch (issue.code) {
    case 'custom':
      return [`issue.custom.${String(p.reason ?? '')}`];
    case 'too_small':
      if (p.origin === 'string' && num(p.minimum) <= 1) return ['issue.required'];
      return p.inclusive === false
        ? [`issue.too_small.${String(p.origin)}.exclusive`, `issue.too_small.${String(p.origin)}`]
        : [`issue.too_small.${String(p.origin)}`];
    case 'too_big':
      return p.inclusive === false
        ? [`issue.too_big.${String(p.origin)}.exclusive`, `issue.too_big.${String(p.origin)}`]
        : [`issue.too_big.${String(p.origin)}`];
    case 'invalid_type':
      return [`issue.invalid_type.${String(p.expected)}`, 'issue.invalid_type'];
    case 'invalid_format':
      return [`issue.invalid_format.${String(p.format)}`, 'issue.invalid_format'];
    default:
      return [`issue.${issue.code}`];
  }
}

/**
 * @example issueText({path: ['name'], code: 'too_big', params: {origin: 'string', maximum: 100}}) // '100 文字以内で入力してください。'
 */
export function issueText(issue: Pick<Issue, 'code' | 'params'>): string {
  const key = issueKeys(issue).find(known) ?? 'issue.fallback';
  return t(key as MessageKey, stringParams(issue.params));
}

function stringParams(params: Record<string, unknown> = {}): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(params))
    out[k] = typeof v === 'number' || typeof v === 'string' ? v : Array.isArray(v) ? v.join('、') : String(v);
  return out;
}

/**
 * A banner sentence for a failed request with no field to point at.
 * `names` turns ids the API mentions (experiments in the way) into the names people gave them.
 * @example problemText('payload_too_large', {maximum: 65536}) // '内容が大きすぎて保存できません（上限 64 KB）。…'
 */
export function problemText(code: string, params: Record<string, unknown> = {}, names: (id: string) => string = (id) => id): string {
  const key = `problem.${code}`;
  if (!known(key)) return t('common.error');
  const words = stringParams(params);
  if (typeof params.maximum === 'number') words.kb = Math.floor(params.maximum / 1024);
  if (Array.isArray(params.experiments)) words.experiments = params.experiments.map((id) => names(String(id))).join('、');
  if (typeof params.experiment === 'string') words.name = (params.name as string) || names(params.experiment);
  return t(key, words);
}
