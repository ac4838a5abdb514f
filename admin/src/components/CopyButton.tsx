/**
 * @module
 * Copies a text to the clipboard and says so; where the clipboard is refused (an insecure
 * page, a denied permission) it selects the text instead, so Ctrl+C still works.
 */
import { useSignal } from '@preact/signals';
import { t } from '../i18n/catalogue';

export interface CopyButtonProps {
  text: string;
  /** The element holding the text, selected when the clipboard is unavailable. */
  targetId?: string;
  label?: string;
}

export function CopyButton({ text, targetId, label }: CopyButtonProps) {
  const copied = useSignal(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      copied.value = true;
      setTimeout(() => (copied.value = false), 2000);
    } catch {
      const el = targetId ? document.getElementById(targetId) : null;
      if (el) window.getSelection()?.selectAllChildren(el);
    }
  };
  return (
    <button type="button" class="btn btn-small" onClick={copy} aria-live="polite">
      {copied.value ? t('al.copied') : (label ?? t('al.copy'))}
    </button>
  );
}
