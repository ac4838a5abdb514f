/**
 * @module
 * The console's words in English: every part of the catalogue, one chunk (loaded by
 * admin/src/i18n/catalogue.ts when the language is chosen).
 */
import { messages } from './messages';
import { alerts } from './alerts';
import { change } from './change';
import { editing } from './editing';
import { history } from './history';
import { memberLists } from './memberLists';
import { problems } from './problems';
import { start } from './start';
import { vocabulary } from './vocabulary';

export const en = {
  ...messages,
  ...alerts,
  ...change,
  ...editing,
  ...history,
  ...memberLists,
  ...problems,
  ...start,
  ...vocabulary,
} as const;

/** The parts, for checks that every key is defined once. */
export const parts = { messages, alerts, change, editing, history, memberLists, problems, start, vocabulary };
