/**
 * @module
 * A labelled form field with its help text and error, wired for screen readers
 * (`aria-invalid`, `aria-describedby`). The input itself is a render prop.
 */
import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';

export interface FieldControlProps {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby'?: string;
}

export interface FieldProps {
  label: string;
  error?: string | undefined;
  help?: string;
  /** Visually hide the label (tables); it stays for screen readers. */
  hideLabel?: boolean;
  class?: string;
  children: (control: FieldControlProps) => ComponentChildren;
}

export function Field({ label, error, help, hideLabel, class: className, children }: FieldProps) {
  const id = useId();
  const helpId = help ? `${id}-help` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, helpId].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${error ? ' has-error' : ''}${className ? ` ${className}` : ''}`}>
      <label for={id} class={hideLabel ? 'sr-only' : undefined}>
        {label}
      </label>
      {children({ id, 'aria-invalid': Boolean(error), 'aria-describedby': describedBy })}
      {error && (
        <p class="field-error" id={errorId} role="alert">
          {error}
        </p>
      )}
      {help && (
        <p class="field-help" id={helpId}>
          {help}
        </p>
      )}
    </div>
  );
}
