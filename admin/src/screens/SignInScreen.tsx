/**
 * @module
 * Sign in with the admin token. The token is checked by loading the configuration with it.
 */
import { useSignal } from '@preact/signals';
import { ApiFailure } from '../api/client';
import { Field, LangSwitch } from '../components';
import { signedOutReason, signIn, signOut } from '../models/authModel';
import { loadConfig } from '../models/configModel';
import { t } from '../models/langModel';

export function SignInScreen() {
  const value = useSignal('');
  const error = useSignal<string | null>(null);
  const busy = useSignal(false);

  async function submit(e: Event) {
    e.preventDefault();
    const tokenText = value.value.trim();
    if (!tokenText) {
      error.value = t('auth.invalid');
      return;
    }
    busy.value = true;
    error.value = null;
    signIn(tokenText);
    try {
      await loadConfig();
    } catch (err) {
      signOut();
      error.value = err instanceof ApiFailure && err.status === 0 ? t('common.networkError') : err instanceof ApiFailure && err.status === 401 ? t('auth.invalid') : t('common.error');
    } finally {
      busy.value = false;
    }
  }

  return (
    <div class="signin">
      <div class="signin-lang">
        <LangSwitch />
      </div>
      <form class="card signin-card" onSubmit={submit} noValidate>
        <h1>
          <span class="brand-mark" aria-hidden="true">出</span> {t('auth.title')}
        </h1>
        {signedOutReason.value === 'expired' && !error.value && <p class="banner banner-warn">{t('auth.expired')}</p>}
        <Field label={t('auth.token')} error={error.value ?? undefined} help={t('auth.tokenHelp')}>
          {(a) => (
            <input
              {...a}
              type="password"
              name="token"
              autoComplete="current-password"
              autoFocus
              value={value.value}
              onInput={(e) => (value.value = e.currentTarget.value)}
            />
          )}
        </Field>
        <button type="submit" class="btn btn-primary btn-block" disabled={busy.value}>
          {busy.value ? t('auth.signingIn') : t('auth.signIn')}
        </button>
      </form>
    </div>
  );
}
export default SignInScreen;
