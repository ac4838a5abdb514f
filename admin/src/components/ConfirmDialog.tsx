/**
 * @module
 * The one confirmation dialog of the console (native <dialog>: focus is trapped and Escape
 * cancels). Opened through `confirmAction()` in uiModel.
 */
import { useEffect, useRef } from 'preact/hooks';
import { t } from '../i18n/catalogue';
import { pendingConfirm } from '../models/uiModel';

export function ConfirmDialog() {
  const ref = useRef<HTMLDialogElement>(null);
  const pending = pendingConfirm.value;
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (pending && !d.open) d.showModal?.();
    if (!pending && d.open) d.close();
  }, [pending]);
  return (
    <dialog ref={ref} class="dialog" aria-labelledby="confirm-message" onCancel={() => pendingConfirm.value?.resolve(false)}>
      <p id="confirm-message">{pending?.message}</p>
      <div class="actions">
        {/* biome-ignore lint/a11y/noAutofocus: a confirmation dialog puts focus on its safe choice (Cancel) */}
        <button type="button" class="btn" onClick={() => pendingConfirm.value?.resolve(false)} autoFocus>
          {t('common.cancel')}
        </button>
        <button type="button" class="btn btn-danger" onClick={() => pendingConfirm.value?.resolve(true)}>
          {pending?.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
