/**
 * @module
 * The sanitizer's report (`{kind, name, detail?}`) worded for the marketer. `name` is the HTML
 * that was taken out (a tag or attribute name: code, shown as code); the words around it and
 * the reason come from the console's dictionary, so the notice reads in the UI language.
 */
import type { MessageKey } from '../i18n/catalogue';
import { t } from '../i18n/catalogue';

export interface Removal {
  kind: 'element' | 'attribute' | 'url' | 'comment' | (string & {});
  name: string;
  detail?: string;
}

/** The sanitizer's fixed details (worker/core/sanitize.ts) → message keys. */
const DETAILS: Record<string, MessageKey> = {
  duplicate: 'removed.why.duplicate',
  'reserved for slots': 'removed.why.reserved',
  'forced to type="button"': 'removed.why.button',
  'only _blank or _self': 'removed.why.target',
  'unterminated tag': 'removed.why.unterminated',
  'tag removed': 'removed.why.tag',
  'tag removed, content kept': 'removed.why.tagKept',
  'only allowed inside <picture>': 'removed.why.picture',
  'nested too deeply': 'removed.why.deep',
};

const DEFAULT_WHY: Record<string, MessageKey> = {
  element: 'removed.why.element',
  attribute: 'removed.why.attribute',
  url: 'removed.why.scheme',
  comment: 'removed.why.comment',
};

/**
 * What was removed (`<script>`, `onclick`, …) and why, in the UI language.
 * @example removalText({kind: 'attribute', name: 'onclick'}) // {what: 'onclick 属性', why: '使用できない属性です'}
 */
export function removalText(r: Removal): { what: string; why: string } {
  const kind = r.kind in DEFAULT_WHY ? r.kind : 'element';
  const what = t(`removed.${kind}` as MessageKey, { name: r.name });
  if (kind === 'url') return { what, why: t('removed.why.scheme', { scheme: r.detail ?? '' }) };
  const key = (r.detail && DETAILS[r.detail]) || DEFAULT_WHY[kind]!;
  return { what, why: t(key) };
}
