/**
 * @module
 * 日本語 / English switch (remembered in localStorage).
 */
import { lang, setLang, t, type Lang } from '../i18n/catalogue';

const LABELS: Record<Lang, string> = { ja: '日本語', en: 'English' };

export function LangSwitch() {
  return (
    // biome-ignore lint/a11y/useSemanticElements: two toggle buttons, not a form: a labelled group, not a fieldset
    <div class="lang-switch" role="group" aria-label={t('lang.label')}>
      {(Object.keys(LABELS) as Lang[]).map((l) => (
        <button
          type="button"
          key={l}
          lang={l}
          class={`btn btn-small${lang.value === l ? ' is-active' : ''}`}
          aria-pressed={lang.value === l}
          onClick={() => setLang(l)}
        >
          {LABELS[l]}
        </button>
      ))}
    </div>
  );
}
