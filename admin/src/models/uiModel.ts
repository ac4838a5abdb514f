/**
 * @module
 * Console-wide UI state: the status message announced to screen readers, and the confirmation
 * dialog (`confirmAction` resolves true when the user confirms).
 */
import { signal } from '@preact/signals';

export const notice = signal<{ text: string; kind: 'ok' | 'error' } | null>(null);
let noticeTimer: ReturnType<typeof setTimeout> | undefined;

export function announce(text: string, kind: 'ok' | 'error' = 'ok'): void {
  notice.value = { text, kind };
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => (notice.value = null), 4000);
}

export interface PendingConfirm {
  message: string;
  confirmLabel: string;
  resolve: (ok: boolean) => void;
}

export const pendingConfirm = signal<PendingConfirm | null>(null);

/**
 * @example if (await confirmAction(t('confirm.delete', {name}), t('common.delete'))) remove();
 */
export function confirmAction(message: string, confirmLabel: string): Promise<boolean> {
  pendingConfirm.value?.resolve(false);
  return new Promise((resolve) => {
    pendingConfirm.value = {
      message,
      confirmLabel,
      resolve: (ok) => {
        pendingConfirm.value = null;
        resolve(ok);
      },
    };
  });
}
