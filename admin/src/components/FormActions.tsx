/**
 * @module
 * The two ends every editor's form shares (lib/form.ts): the banner that words the API's refusal,
 * and the submit button that says it is saving (and cannot be pressed twice) while it is.
 *
 * @example
 *   <FormFailure failure={editor.failure.value} />
 *   <div class="actions"><SaveButton saving={editor.saving.value} /></div>
 */
import type { ApiFailure } from '../api/client';
import { t } from '../i18n/catalogue';
import { errorText } from '../lib/errors';

/** The refusal's message, or nothing while there is none. */
export function FormFailure({ failure }: { failure: ApiFailure | null }) {
  if (!failure) return null;
  return (
    <p class="banner banner-error" role="alert">
      {errorText(failure)}
    </p>
  );
}

export interface SaveButtonProps {
  saving: boolean;
  /** What the button says (default: Save). */
  label?: string;
  /** What it says while the form is sent (default: Saving…). */
  busyLabel?: string;
}

export function SaveButton({ saving, label, busyLabel }: SaveButtonProps) {
  return (
    <button type="submit" class="btn btn-primary" disabled={saving}>
      {saving ? (busyLabel ?? t('common.saving')) : (label ?? t('common.save'))}
    </button>
  );
}
