/**
 * @module
 * Sign in with the admin token. The token is checked by loading the configuration with it.
 */
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { api } from '../api/client';
import { Field } from '../components/Field';
import { LangSwitch } from '../components/LangSwitch';
import { signedOutReason, signIn } from '../models/authModel';
import { loadConfig } from '../models/configModel';
import { t } from '../i18n/catalogue';

/** Checks a token before keeping it, so a wrong one never counts as signed in. */
async function verifyToken(candidate: string): Promise<'ok' | 'invalid' | 'network' | 'error'> {
  try {
    const res = await api.config.$get(undefined, { headers: { authorization: `Bearer ${candidate}` } });
    if (res.ok) return 'ok';
    return (res.status as number) === 401 ? 'invalid' : 'error';
  } catch {
    return 'network';
  }
}

/** True only on a local dev edge (its /healthz says so): the one place the dev token works. */
async function isLocalDevEdge(): Promise<boolean> {
  try {
    const res = await fetch('/healthz');
    return res.ok && ((await res.json()) as { localDev?: boolean }).localDev === true;
  } catch {
    return false;
  }
}

export function SignInScreen() {
  const value = useSignal('');
  const error = useSignal<string | null>(null);
  const busy = useSignal(false);
  const localDev = useSignal(false);
  useEffect(() => {
    void isLocalDevEdge().then((yes) => (localDev.value = yes));
  }, []);

  async function submit(e: Event) {
    e.preventDefault();
    const tokenText = value.value.trim();
    if (!tokenText) {
      error.value = t('auth.invalid');
      return;
    }
    busy.value = true;
    error.value = null;
    const verdict = await verifyToken(tokenText);
    busy.value = false;
    if (verdict === 'ok') {
      signIn(tokenText);
      loadConfig().catch(() => {});
      return;
    }
    error.value = verdict === 'invalid' ? t('auth.invalid') : verdict === 'network' ? t('common.networkError') : t('common.error');
  }

  return (
    <div class="signin">
      <div class="signin-lang">
        <LangSwitch />
      </div>
      <form class="card signin-card" onSubmit={submit} noValidate>
        <h1>
          <span class="brand-mark" aria-hidden="true">
            出
          </span>{' '}
          {t('auth.title')}
        </h1>
        {signedOutReason.value === 'expired' && !error.value && <p class="banner banner-warn">{t('auth.expired')}</p>}
        <Field
          label={t('auth.token')}
          error={error.value ?? undefined}
          help={localDev.value ? `${t('auth.tokenHelp')} ${t('auth.devHint')}` : t('auth.tokenHelp')}
        >
          {(a) => (
            <input
              {...a}
              type="password"
              name="token"
              autoComplete="current-password"
              // biome-ignore lint/a11y/noAutofocus: the sign-in screen has this one field; typing the token is the only thing to do
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
