/**
 * @module
 * Both languages at once, registered with the catalogue: for tests and scripts that run the
 * console's code outside the browser (the console itself loads one language chunk at a time).
 *
 * @example
 *   import { en, ja } from '../../admin/src/i18n/all'; // t() now answers in either language
 */
import { registerLanguage } from './catalogue';
import { en } from './en';
import { ja } from './ja';

registerLanguage('en', en);
registerLanguage('ja', ja);

export { en, parts as enParts } from './en';
export { ja, parts as jaParts } from './ja';
