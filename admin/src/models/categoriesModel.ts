/**
 * @module
 * URL pattern → page category rules being edited, and the tester ("this URL is `pricing`"),
 * which runs the unsaved rules through the API's category test.
 */
import { signal } from '@preact/signals';
import type { CategoryRule, SiteConfig } from '@worker/schema/config';
import { api, unwrap } from '../api/client';
import { createForm } from '../lib/form';
import { config, loadConfig } from './configModel';

export interface CategoriesDraft {
  rules: CategoryRule[];
}

export const categoriesDraftOf = (c: SiteConfig | null): CategoriesDraft => ({ rules: structuredClone(c?.categories ?? []) });

/**
 * The page categories screen's editor.
 * @example const ed = createCategoriesEditor(categoriesDraftOf(config.value)); ed.add(); await ed.save();
 */
export function createCategoriesEditor(start: CategoriesDraft) {
  const form = createForm({
    initial: start,
    submit: async (d: CategoriesDraft) => {
      await unwrap(api.categories.$put({ json: d }));
      await loadConfig();
    },
  });
  const rules = () => form.draft.value.rules;
  const testUrl = signal('/pricing');
  const testResult = signal<{ url: string; category: string | null } | null>(null);
  return {
    ...form,
    testUrl,
    testResult,
    /** Back to the saved rules (after a restore from the change log). */
    reload: () => form.reset(categoriesDraftOf(config.value)),
    updateRule: (i: number, patch: Partial<CategoryRule>) =>
      form.update({ rules: rules().map((r, j) => (j === i ? { ...r, ...patch } : r)) }),
    add: () => form.update({ rules: [...rules(), { id: `rule_${rules().length + 1}`, pattern: '/', category: '', priority: 0 }] }),
    remove: (i: number) => form.update({ rules: rules().filter((_, j) => j !== i) }),
    /** Which category the unsaved rules give the test URL. */
    async runTest(): Promise<void> {
      testResult.value = await unwrap(api.categories.test.$post({ json: { url: testUrl.value.trim() || '/', rules: rules() } }));
    },
  };
}
export type CategoriesEditor = ReturnType<typeof createCategoriesEditor>;
