/**
 * @module
 * The shapes of the catalogue: a text is a string with `{name}` placeholders, or a set of plural
 * forms chosen by `Intl.PluralRules` from the `count` parameter. The English parts
 * (admin/src/i18n/en/) define the keys; every other language is typed as a complete translation.
 *
 * @example
 *   const en = { 'history.count': { one: '{count} change', other: '{count} changes' } } as const;
 *   const ja: Translation<typeof en> = { 'history.count': '{count} 件の変更' };
 */
import type { en } from './en';

/** Plural forms by `Intl.PluralRules` category; `other` is always there (Japanese needs only it). */
export type Plural = {
  readonly zero?: string;
  readonly one?: string;
  readonly two?: string;
  readonly few?: string;
  readonly many?: string;
  readonly other: string;
};

/** One entry of the catalogue. */
export type Text = string | Plural;

/** A part of a language: the same keys as the English part, each translated. */
export type Translation<Part> = { readonly [K in keyof Part]: Text };

/** Every key of the console's text. */
export type MessageKey = keyof typeof en;

/** A whole language. */
export type Dictionary = Translation<typeof en>;

/** Values for placeholders; numbers are formatted for the language (and `count` picks the plural). */
export type Params = Readonly<Record<string, string | number>>;
