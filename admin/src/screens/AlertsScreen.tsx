/**
 * @module
 * Sales alerts: the alerts (what fires, where it goes, on or off) and the delivery log of every
 * message, filterable by alert and status, with details and "Send again".
 */
import { useEffect } from 'preact/hooks';
import type { Alert } from '@worker/schema/alerts';
import { Badge, DeliveryLogTable, Empty, ErrorBox, Loading } from '../components';
import { t } from '../i18n/catalogue';
import { errorText } from '../lib/errors';
import { alerts, deliveryLog, loadAlerts, type LogFilter } from '../models/alertsModel';
import { segmentName } from '../models/configModel';
import './alerts.css';

/** The trigger in a few words: 「ホットリード」に入ったとき. */
export function triggerText(a: Pick<Alert, 'trigger'>): string {
  const tr = a.trigger;
  if (tr.type === 'segment_entered') return t('al.summary.segment_entered', { segment: segmentName(tr.segment) });
  if (tr.type === 'tier_reached') return t('al.summary.tier_reached', { tier: t(`tier.${tr.tier}`) });
  return t('al.summary.score_reached', { score: tr.score });
}

function AlertList() {
  const s = alerts.value;
  if (s.status === 'error') return <ErrorBox message={errorText(s.error)} onRetry={() => loadAlerts()} />;
  if (!s.data) return <Loading />;
  if (s.data.length === 0)
    return (
      <Empty
        action={
          <a class="btn btn-primary" href="/admin/alerts/new">
            {t('al.new')}
          </a>
        }
      >
        {t('al.empty')}
      </Empty>
    );
  return (
    <div class="table-wrap">
      <table class="table" id="alerts-table">
        <thead>
          <tr>
            <th scope="col">{t('al.name')}</th>
            <th scope="col">{t('al.trigger')}</th>
            <th scope="col">{t('al.destination')}</th>
            <th scope="col">{t('common.status')}</th>
          </tr>
        </thead>
        <tbody>
          {s.data.map((a) => (
            <tr key={a.id} data-alert={a.id} class={a.enabled ? undefined : 'is-disabled'}>
              <td>
                <a class="strong" href={`/admin/alerts/${a.id}`}>
                  {a.name}
                </a>
              </td>
              <td>{triggerText(a)}</td>
              <td>
                <div>{t(`al.format.${a.destination.format}`)}</div>
                <div class="muted mono small url-cell">{a.destination.url}</div>
              </td>
              <td>
                {a.enabled ? (
                  <Badge tone="ok">{t('al.enabled')}</Badge>
                ) : (
                  <Badge>{a.disabledReason === 'gone' ? t('al.offGone') : t('al.off')}</Badge>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function LogFilters() {
  const f = deliveryLog.filter.value;
  const set = (patch: Partial<LogFilter>) => deliveryLog.setFilter(patch).catch(() => {});
  return (
    <div class="filters">
      <label class="field">
        <span>{t('al.filterAlert')}</span>
        <select value={f.alert} onChange={(e) => set({ alert: e.currentTarget.value })} id="log-alert">
          <option value="">{t('al.all')}</option>
          {(alerts.value.data ?? []).map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      </label>
      <label class="field">
        <span>{t('al.filterStatus')}</span>
        <select value={f.status} onChange={(e) => set({ status: e.currentTarget.value as LogFilter['status'] })} id="log-status">
          <option value="">{t('al.all')}</option>
          {(['pending', 'delivered', 'failed'] as const).map((st) => (
            <option key={st} value={st}>
              {t(`al.status.${st}`)}
            </option>
          ))}
        </select>
      </label>
      <button type="button" class="btn btn-small" onClick={() => deliveryLog.reload().catch(() => {})} id="log-refresh">
        {t('al.refresh')}
      </button>
    </div>
  );
}

export function AlertsScreen() {
  useEffect(() => {
    loadAlerts().catch(() => {});
    deliveryLog.reload().catch(() => {});
  }, []);
  const log = deliveryLog;
  return (
    <section class="stack">
      <div class="page-head">
        <h1>{t('al.title')}</h1>
        <a class="btn btn-primary" href="/admin/alerts/new">
          + {t('al.new')}
        </a>
      </div>
      <p class="lead">{t('al.intro')}</p>
      <AlertList />
      <h2 id="log-title">{t('al.log')}</h2>
      <p class="muted small">{t('al.logIntro')}</p>
      <LogFilters />
      {log.status.value === 'error' && <ErrorBox message={errorText(log.error.value)} onRetry={() => log.reload()} />}
      {log.status.value === 'loading' && log.items.value.length === 0 && <Loading />}
      {log.status.value === 'ready' && log.items.value.length === 0 && <p class="muted">{t('al.logEmpty')}</p>}
      {log.items.value.length > 0 && <DeliveryLogTable log={log} />}
      {log.next.value !== null && (
        <button type="button" class="btn" onClick={() => log.more().catch(() => {})}>
          {t('al.more')}
        </button>
      )}
    </section>
  );
}
export default AlertsScreen;
