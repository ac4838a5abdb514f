/**
 * @module
 * Words of the editors themselves: the unsaved-changes guard and the checks a form makes while
 * the marketer types (before anything is sent).
 */
export const editingEn = {
  'guard.message': 'You have unsaved changes. Leave this page and discard them?',
  'guard.discard': 'Discard changes',
  'guard.unsaved': 'Unsaved changes',
} as const;

export type EditingKey = keyof typeof editingEn;

export const editingJa: Record<EditingKey, string> = {
  'guard.message': '保存していない変更があります。変更を破棄してこのページを離れますか？',
  'guard.discard': '変更を破棄',
  'guard.unsaved': '未保存の変更があります',
};
