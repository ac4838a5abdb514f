/**
 * @module
 * The signed-in frame: header (language, sign out), the main navigation, the status line
 * announced to screen readers, and the confirmation dialog.
 */
import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { leaveAllowed } from '../lib/unsavedGuard';
import { signOut } from '../models/authModel';
import { resetConfig } from '../models/configModel';
import { t } from '../i18n/catalogue';
import { notice } from '../models/uiModel';
import { loadVocabulary } from '../models/vocabularyModel';
import type { MessageKey } from '../i18n/catalogue';
import { ConfirmDialog } from './ConfirmDialog';
import { LangSwitch } from './LangSwitch';

export const NAV: { path: string; label: MessageKey }[] = [
  { path: '/admin/home', label: 'nav.home' },
  { path: '/admin/segments', label: 'nav.segments' },
  { path: '/admin/scoring', label: 'nav.scoring' },
  { path: '/admin/categories', label: 'nav.categories' },
  { path: '/admin/content', label: 'nav.content' },
  { path: '/admin/experiments', label: 'nav.experiments' },
  { path: '/admin/lift', label: 'nav.lift' },
  { path: '/admin/members', label: 'nav.members' },
  { path: '/admin/models', label: 'nav.models' },
  { path: '/admin/alerts', label: 'nav.alerts' },
  { path: '/admin/preview', label: 'nav.preview' },
  { path: '/admin/vocabulary', label: 'nav.vocabulary' },
  { path: '/admin/settings', label: 'nav.site' },
  { path: '/admin/changes', label: 'nav.changes' },
];

export function Layout({ children }: { children: ComponentChildren }) {
  const { path } = useLocation();
  // Names for keys on every screen; a screen shows keys until they arrive (or if they fail).
  useEffect(() => {
    loadVocabulary().catch(() => {});
  }, []);
  return (
    <div class="shell">
      <header class="topbar">
        <a class="brand" href="/admin/segments">
          <span class="brand-mark" aria-hidden="true">
            出
          </span>{' '}
          {t('app.name')}
          <span class="brand-sub">{t('app.tagline')}</span>
        </a>
        {/* In the (sticky) top bar's flow, never over the page: a toast cannot cover a control. */}
        <div class={`notice${notice.value ? ` notice-${notice.value.kind}` : ''}`} role="status" aria-live="polite">
          {notice.value?.text}
        </div>
        <div class="topbar-actions">
          <LangSwitch />
          <button
            type="button"
            class="btn btn-small btn-ghost"
            onClick={async () => {
              if (!(await leaveAllowed())) return;
              signOut();
              resetConfig();
            }}
          >
            {t('auth.signOut')}
          </button>
        </div>
      </header>
      <nav class="sidenav" aria-label={t('nav.main')}>
        <ul>
          {NAV.map((item) => (
            <li key={item.path}>
              <a href={item.path} aria-current={path.startsWith(item.path) ? 'page' : undefined}>
                {t(item.label)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main class="content" id="main">
        {children}
      </main>
      <ConfirmDialog />
    </div>
  );
}
