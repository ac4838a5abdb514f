/**
 * @module
 * Words of the editors themselves: the unsaved-changes guard and the checks a form makes while
 * the marketer types (before anything is sent).
 * English: this part defines the keys (admin/src/i18n/ja/editing.ts translates them).
 */
export const editing = {
  'guard.message': 'You have unsaved changes. Leave this page and discard them?',
  'guard.discard': 'Discard changes',
  'guard.unsaved': 'Unsaved changes',
  'form.noConditions':
    'This segment has no conditions, so every visitor matches it. Add a condition, or save anyway if that is what you want.',
  'form.saveAnyway': 'Save anyway',
  'form.placement': 'Priority',
  'form.placementHelp': 'Visitors get the first segment they match, from the top.',
  'form.placeLast': 'Last (after “{name}”)',
  'form.placeBefore': 'Before “{name}”',
  'form.placeNote': 'This segment will be number {n} of {total}.',
  'form.nameRequired': 'Name this experiment so you can find it later.',
  'form.weightsSum': 'Shares add up to {sum}%.',
  'form.weightsMust': 'Shares must add up to 100% (now {sum}%).',
  'form.chars': '{count} / {max} characters',
  'form.charsOver': '{count} / {max} characters: too long to save',
  'form.htmlScript': 'Scripts (<script>) are removed when you save: they never run in a slot.',
  'form.htmlHandler':
    'Event attributes such as {name} are removed when you save. To count downloads, add data-dw-download="kind" to the link instead (scoring counts it as a download).',
  'form.htmlJsUrl': 'Links starting with “javascript:” are removed when you save.',
  'form.newExperiment': 'Test this content in an experiment',
  'form.deleteDraft': 'Delete experiment',
  'form.deleted': 'Experiment deleted',
  'form.confirmDelete': 'Delete the experiment “{name}”? This cannot be undone.',
  'content.status.running': 'Running: {name}',
  'content.status.paused': 'Paused: {name}',
  'content.status.draft': 'Draft: {name}',
  'content.status.stopped': 'Stopped: {name}',
  'preview.autoArm': 'As a visitor would be assigned',
} as const;
