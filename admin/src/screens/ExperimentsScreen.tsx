/**
 * @module
 * Experiments list: slot × segment, goal, status, and start / pause / stop.
 */
import { Empty, StatusActions } from '../components';
import { experiments, segmentName } from '../models/configModel';
import { armName, eventLabel } from '../lib/names';
import { fmt, t } from '../i18n/catalogue';
import { StatusBadge } from '../components/StatusBadge';

export function ExperimentsScreen() {
  const list = experiments.value;
  return (
    <section>
      <div class="page-head">
        <h1>{t('experiments.title')}</h1>
        <a class="btn btn-primary" href="/admin/experiments/new">
          + {t('experiments.new')}
        </a>
      </div>
      <p class="lead">{t('experiments.intro')}</p>
      {list.length === 0 ? (
        <Empty
          action={
            <a class="btn btn-primary" href="/admin/experiments/new">
              {t('experiments.new')}
            </a>
          }
        >
          {t('experiments.empty')}
        </Empty>
      ) : (
        <div class="table-wrap">
          <table class="table" id="experiments-table">
            <thead>
              <tr>
                <th scope="col">{t('common.name')}</th>
                <th scope="col">
                  {t('experiments.slot')} × {t('experiments.segment')}
                </th>
                <th scope="col">{t('experiments.goal')}</th>
                <th scope="col">{t('experiments.arms')}</th>
                <th scope="col">{t('common.status')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((e) => (
                <tr key={e.id} data-experiment={e.id}>
                  <td>
                    <a class="strong" href={`/admin/experiments/${e.id}`}>
                      {e.name || e.id}
                    </a>
                    <div class="muted mono small">{e.id}</div>
                  </td>
                  <td>
                    <span class="mono">{e.slot}</span> × {segmentName(e.segment)}
                  </td>
                  <td>
                    {e.goal.eventType === 'conversion' ? `${eventLabel('conversion')}: ${e.goal.goal}` : eventLabel(e.goal.eventType)}
                  </td>
                  <td>
                    {e.arms
                      .map((a) => `${armName(e, a.key)} ${fmt.percent(a.weight / e.arms.reduce((s, x) => s + x.weight, 0))}`)
                      .join(' / ')}
                  </td>
                  <td>
                    <StatusBadge status={e.status} />
                    {e.startedAt && <div class="muted small">{t('experiments.startedAt', { date: fmt.date(e.startedAt) })}</div>}
                  </td>
                  <td>
                    <div class="row-actions">
                      {e.status !== 'draft' && (
                        <a class="btn btn-small" href={`/admin/experiments/${e.id}/results`}>
                          {t('experiments.results')}
                        </a>
                      )}
                      <StatusActions experiment={e} />
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
export default ExperimentsScreen;
