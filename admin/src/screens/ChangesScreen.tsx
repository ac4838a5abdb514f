/**
 * @module
 * The change log of the whole site: every change, newest first, who made it, what it was about
 * (linked to its editor), and "undo" on each; narrowed to one kind of thing with a filter.
 */
import { changeEntities, type ChangeEntity } from '@worker/schema/changes';
import { useEffect, useMemo } from 'preact/hooks';
import { Field } from '../components';
import { ChangeList } from '../components/ChangeList';
import { entityLabel } from '../lib/changeText';
import { createHistory } from '../models/changesModel';
import { t } from '../i18n/catalogue';

export function ChangesScreen() {
  const history = useMemo(() => createHistory(), []);
  useEffect(() => {
    void history.reload();
  }, [history]);
  const entity = history.filter.value.entity ?? '';
  return (
    <section class="stack">
      <div>
        <h1>{t('history.globalTitle')}</h1>
        <p class="lead">{t('history.globalIntro')}</p>
      </div>
      <div class="history-filters">
        <Field label={t('history.filter')}>
          {(a) => (
            <select
              {...a}
              name="entity"
              value={entity}
              onChange={(e) => {
                const v = e.currentTarget.value as ChangeEntity | '';
                void history.setFilter(v ? { entity: v } : {});
              }}
            >
              <option value="">{t('history.filterAll')}</option>
              {changeEntities.map((e) => (
                <option key={e} value={e}>
                  {entityLabel(e)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <div class="card">
        {history.status.value === 'loading' && history.items.value.length === 0 ? (
          <p class="muted">{t('common.loading')}</p>
        ) : (
          <ChangeList history={history} showSubject />
        )}
      </div>
    </section>
  );
}
export default ChangesScreen;
