/**
 * @module
 * The three states every screen handles besides "ready": loading, empty and error (with retry).
 */
import type { ComponentChildren } from 'preact';
import { t } from '../i18n/catalogue';

export function Loading({ label }: { label?: string }) {
  return (
    <div class="state state-loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      {label ?? t('common.loading')}
    </div>
  );
}

export interface EmptyProps {
  children: ComponentChildren;
  action?: ComponentChildren;
}

export function Empty({ children, action }: EmptyProps) {
  return (
    <div class="state state-empty">
      <p>{children}</p>
      {action}
    </div>
  );
}

export interface ErrorBoxProps {
  message: string;
  onRetry?: () => void;
}

export function ErrorBox({ message, onRetry }: ErrorBoxProps) {
  return (
    <div class="state state-error" role="alert">
      <p>{message}</p>
      {onRetry && (
        <button type="button" class="btn" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}
