/**
 * @module
 * The site's display names as last loaded (`GET /api/vocabulary`); null until then. Kept apart
 * from the model that loads and edits them, so the language model can read event names
 * without an import cycle.
 */
import { signal } from '@preact/signals';
import type { Vocabulary } from '@worker/schema/vocabulary';

export const vocabulary = signal<Vocabulary | null>(null);
