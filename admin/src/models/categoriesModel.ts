/**
 * @module
 * URL pattern → page category rules, and the tester ("this URL is `pricing`"), which runs
 * the unsaved rules through the API's category test.
 */
import { computed, signal } from '@preact/signals';
import type { CategoryRule } from '@worker/schema/config';
import { api, ApiFailure, unwrap } from '../api/client';
import { toFieldErrors, type FieldErrors } from '../lib/issues';
import { config, loadConfig } from './configModel';

export const categoryRules = signal<CategoryRule[]>([]);
export const categoryErrors = signal<FieldErrors>({});
export const categoryFailure = signal<ApiFailure | null>(null);
export const testUrl = signal('/pricing');
export const testResult = signal<{ url: string; category: string | null } | null>(null);
const categoriesBaseline = signal('');
/** True while the rules differ from what was loaded or last saved. */
export const categoriesDirty = computed(() => JSON.stringify(categoryRules.value) !== categoriesBaseline.value);

export function resetCategories(): void {
  categoryRules.value = structuredClone(config.value?.categories ?? []);
  categoriesBaseline.value = JSON.stringify(categoryRules.value);
  categoryErrors.value = {};
  categoryFailure.value = null;
}

export function updateCategory(i: number, patch: Partial<CategoryRule>): void {
  categoryRules.value = categoryRules.value.map((r, j) => (j === i ? { ...r, ...patch } : r));
}

export function addCategory(): void {
  categoryRules.value = [...categoryRules.value, { id: `rule_${categoryRules.value.length + 1}`, pattern: '/', category: '', priority: 0 }];
}

export function removeCategory(i: number): void {
  categoryRules.value = categoryRules.value.filter((_, j) => j !== i);
}

export async function saveCategories(): Promise<boolean> {
  categoryErrors.value = {};
  categoryFailure.value = null;
  try {
    const sent = JSON.stringify(categoryRules.value);
    await unwrap(api.categories.$put({ json: { rules: categoryRules.value } }));
    categoriesBaseline.value = sent;
    await loadConfig();
    return true;
  } catch (err) {
    if (err instanceof ApiFailure) {
      categoryErrors.value = toFieldErrors(err.issues);
      categoryFailure.value = err;
      return false;
    }
    throw err;
  }
}

export async function runCategoryTest(): Promise<void> {
  const body = await unwrap(api.categories.test.$post({ json: { url: testUrl.value.trim() || '/', rules: categoryRules.value } }));
  testResult.value = body;
}
