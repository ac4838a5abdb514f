/**
 * @module
 * Members: the working lists (filters, one-click lists, CSV download), the CSV import, and the
 * attribute quality view, as three tabs of one screen (`?view=import`, `?view=quality`).
 */
import { useLocation } from 'preact-iso';
import { t } from '../i18n/catalogue';
import { ImportPanel } from './members/ImportPanel';
import { ListPanel } from './members/ListPanel';
import { QualityPanel } from './members/QualityPanel';

const VIEWS = ['list', 'import', 'quality'] as const;
type View = (typeof VIEWS)[number];

export function MembersScreen() {
  const { query, route } = useLocation();
  const view: View = (VIEWS as readonly string[]).includes(query.view ?? '') ? (query.view as View) : 'list';
  const label: Record<View, string> = { list: t('ml.tabList'), import: t('ml.tabImport'), quality: t('ml.tabQuality') };
  return (
    <section class="stack">
      <div>
        <h1>{t('members.title')}</h1>
        <p class="lead">{t('ml.intro')}</p>
      </div>
      <nav class="row-actions" aria-label={t('members.title')}>
        {VIEWS.map((v) => (
          <a
            key={v}
            href={v === 'list' ? '/admin/members' : `/admin/members?view=${v}`}
            class={`btn btn-small${v === view ? ' is-active' : ''}`}
            aria-current={v === view ? 'page' : undefined}
            onClick={(e) => {
              e.preventDefault();
              route(v === 'list' ? '/admin/members' : `/admin/members?view=${v}`);
            }}
          >
            {label[v]}
          </a>
        ))}
      </nav>
      {view === 'list' && <ListPanel />}
      {view === 'import' && <ImportPanel />}
      {view === 'quality' && <QualityPanel />}
    </section>
  );
}
export default MembersScreen;
