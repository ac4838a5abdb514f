/**
 * @module
 * Names where the site has keys: `seminar_attend` → 「セミナー参加」, `industry` → 「業種」,
 * `pricing` → 「料金」, an arm → the name of the content it shows. Each falls back to the other
 * language's name, then to the key itself, so nothing ever shows blank.
 */
import { describeCondition } from '@worker/core/describe';
import type { Condition, Experiment, Scalar } from '@worker/schema/config';
import type { Label } from '@worker/schema/vocabulary';
import { variants } from '../models/configModel';
import { hasText, lang, t } from '../i18n/catalogue';
import { vocabulary } from '../models/vocabularyState';
import { COMMON_TRAITS } from './vocab';

/** The name in the UI language, else the other language, else null. */
export function pick(label: Partial<Label> | undefined): string | null {
  if (!label) return null;
  const mine = label[lang.value]?.trim();
  const other = label[lang.value === 'ja' ? 'en' : 'ja']?.trim();
  return mine || other || null;
}

/**
 * A readable name for an event type: the site's own name (vocabulary), else the console's, else the key.
 * @example eventLabel('seminar_attend') // 'セミナー参加'
 */
export function eventLabel(type: string): string {
  const site = (vocabulary.value?.events as Record<string, Label> | undefined)?.[type];
  const key = `event.${type}`;
  return site?.[lang.value]?.trim() || (hasText(key) ? t(key) : type);
}

export const propName = (prop: string) => pick((vocabulary.value?.props as Record<string, Label> | undefined)?.[prop]) ?? prop;
export const traitName = (key: string) => pick(vocabulary.value?.traits[key]) ?? key;

export function propValueName(prop: string, value: Scalar): string {
  const values = (vocabulary.value?.props as Record<string, { values?: Record<string, Label> }> | undefined)?.[prop]?.values;
  return pick(values?.[String(value)]) ?? String(value);
}

export function traitValueName(key: string, value: Scalar): string {
  return pick(vocabulary.value?.traits[key]?.values?.[String(value)]) ?? String(value);
}

const named = (where: Record<string, string> | undefined) =>
  Object.fromEntries(Object.entries(where ?? {}).map(([k, v]) => [propName(k), propValueName(k, v)]));

/**
 * A copy of a condition with names where it has keys, for phrasing only (never sent back).
 * @example describeCondition(namedCondition({type: 'behavior', event: 'seminar_attend', withinDays: 30, op: 'gte', count: 1}), 'ja') // '30日以内に セミナー参加 が1回以上'
 */
export function namedCondition(c: Condition): Condition {
  switch (c.type) {
    case 'trait': {
      const value = Array.isArray(c.value)
        ? c.value.map((v) => traitValueName(c.trait, v))
        : c.value === undefined
          ? undefined
          : traitValueName(c.trait, c.value);
      // Numbers stay numbers (a count reads "50以上"); named values read as the names.
      const keep = typeof c.value === 'number' || typeof c.value === 'boolean';
      return { ...c, trait: traitName(c.trait), ...(keep || value === undefined ? {} : { value }) };
    }
    case 'group':
      return { ...c, conditions: c.conditions.map(namedCondition) };
    // Tiers read as score tiers (「ホットランク」), never as a bare 「ホット」 a segment could be called.
    case 'tier':
      return { ...c, in: c.in.map((tier) => t(`tier.${tier}`)) } as unknown as Condition;
    default:
      if ('event' in c) return { ...c, event: eventName(c.event), where: named(c.where as Record<string, string>) } as unknown as Condition;
      return c;
  }
}

/** One condition in words, with names, in the UI language. */
export const describeNamed = (c: Condition) => describeCondition(namedCondition(c), lang.value);

/** Event type → name: the site's vocabulary, else the console's own words. */
export const eventName = eventLabel;

/**
 * What an arm shows, in words: the control is "the page as it is"; any other arm is named after
 * its content (`case_a` → 「Case A: 同業の導入事例」).
 */
export function armName(experiment: Pick<Experiment, 'arms'>, key: string): string {
  const arm = experiment.arms.find((a) => a.key === key);
  if (!arm || arm.variant === null) return key === 'control' || arm?.variant === null ? t('experiments.controlArm') : key;
  const v = variants.value.find((x) => x.id === arm.variant);
  return v?.name || key;
}

/** Trait keys to suggest: the ones the site named, then the common ones. */
export function knownTraits(): string[] {
  return [...new Set([...Object.keys(vocabulary.value?.traits ?? {}), ...COMMON_TRAITS])];
}

/** Values the site named for a prop (suggested in a behaviour condition's "where"). */
export function knownPropValues(prop: string): string[] {
  return Object.keys((vocabulary.value?.props as Record<string, { values?: Record<string, unknown> }> | undefined)?.[prop]?.values ?? {});
}
