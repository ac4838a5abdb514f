/**
 * @module
 * A new signing secret, shown once: the value with a copy button, and the receiver's
 * verification code (Node or Python) with the secret already in it. "I have copied it" closes
 * the panel for good; the console keeps no copy.
 */
import { useSignal } from '@preact/signals';
import { t } from '../i18n/catalogue';
import { nodeSnippet, pythonSnippet } from '../lib/verifySnippet';
import { CopyButton } from './CopyButton';

export interface SecretPanelProps {
  secret: string;
  onDone: () => void;
}

export function SecretPanel({ secret, onDone }: SecretPanelProps) {
  const lang = useSignal<'node' | 'python'>('node');
  const code = lang.value === 'node' ? nodeSnippet(secret) : pythonSnippet(secret);
  return (
    <section class="card secret-panel" aria-labelledby="secret-title" id="secret-panel">
      <h2 id="secret-title">{t('al.secretTitle')}</h2>
      <p class="banner banner-warn">{t('al.secretOnce')}</p>
      <div class="secret-row">
        <code class="mono secret-value" id="secret-value" data-testid="alert-secret">
          {secret}
        </code>
        <CopyButton text={secret} targetId="secret-value" />
      </div>
      <h3>{t('al.verifyTitle')}</h3>
      <p class="muted small">{t('al.verifyHelp')}</p>
      <div class="code-tabs" role="tablist">
        {(['node', 'python'] as const).map((l) => (
          <button
            key={l}
            type="button"
            role="tab"
            aria-selected={lang.value === l}
            class={`btn btn-small${lang.value === l ? ' btn-primary' : ''}`}
            onClick={() => (lang.value = l)}
          >
            {l === 'node' ? 'Node.js' : 'Python'}
          </button>
        ))}
        <CopyButton text={code} targetId="verify-code" />
      </div>
      <pre class="code" id="verify-code" data-testid="verify-code">
        {code}
      </pre>
      <div class="actions">
        <button type="button" class="btn btn-primary" onClick={onDone} id="secret-done">
          {t('al.secretDone')}
        </button>
      </div>
    </section>
  );
}
