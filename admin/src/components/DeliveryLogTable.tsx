/**
 * @module
 * The delivery log as a table: when, which alert, which member, status with attempts, the
 * receiver's last answer; a row opens to the answer's first characters and the exact message
 * sent, and "Send again" replays it under the same message id. Used by the alerts screen and
 * the member page.
 */
import { Fragment } from 'preact';
import type { Delivery } from '@worker/schema/alerts';
import { deliveryError } from '../lib/deliveryText';
import { t, fmt } from '../i18n/catalogue';
import { errorText } from '../lib/errors';
import type { DeliveryLog } from '../models/alertsModel';
import { announce } from '../models/uiModel';
import { ApiFailure } from '../api/client';
import { Badge } from './Badge';

const tone = { pending: 'info', delivered: 'ok', failed: 'warn' } as const;

function lastAnswer(d: Delivery): string {
  if (d.lastStatusCode !== null) return `HTTP ${d.lastStatusCode}`;
  if (d.lastError) return deliveryError(d.lastError);
  return '—';
}

export interface DeliveryLogTableProps {
  log: DeliveryLog;
  /** Hide the member column (on a member's own page). */
  hideMember?: boolean;
}

export function DeliveryLogTable({ log, hideMember }: DeliveryLogTableProps) {
  const items = log.items.value;
  const replay = async (id: string) => {
    try {
      await log.replay(id);
      announce(t('al.replayed'));
    } catch (err) {
      announce(err instanceof ApiFailure && err.code === 'in_flight' ? t('al.problem.in_flight') : errorText(err), 'error');
    }
  };
  const cols = hideMember ? 6 : 7;
  return (
    <div class="table-wrap">
      <table class="table" id="delivery-log">
        <thead>
          <tr>
            <th scope="col">{t('al.when')}</th>
            <th scope="col">{t('al.filterAlert')}</th>
            {!hideMember && <th scope="col">{t('al.member')}</th>}
            <th scope="col">{t('al.status')}</th>
            <th scope="col" class="num">
              {t('al.attempts')}
            </th>
            <th scope="col">{t('al.last')}</th>
            <th scope="col">{t('common.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((d) => {
            const open = log.open.value[d.id];
            return (
              <Fragment key={d.id}>
                <tr data-delivery={d.id} data-status={d.status}>
                  <td>
                    {fmt.dateTime(d.createdAt)}
                    <div class="muted mono small">{d.id}</div>
                  </td>
                  <td>
                    {d.alertName ?? <span class="muted mono">{d.alertId}</span>}
                    {d.kind === 'test' && (
                      <>
                        {' '}
                        <Badge tone="muted">{t('al.kind.test')}</Badge>
                      </>
                    )}
                  </td>
                  {!hideMember && (
                    <td>
                      {d.memberId ? (
                        <a class="mono" href={`/admin/members/${encodeURIComponent(d.memberId)}`}>
                          {d.memberId}
                        </a>
                      ) : (
                        <span class="muted">—</span>
                      )}
                    </td>
                  )}
                  <td>
                    <Badge tone={tone[d.status]}>{t(`al.status.${d.status}`)}</Badge>
                    {d.status === 'pending' && d.nextAttemptAt !== null && d.attempts > 0 && (
                      <div class="muted small">{t('al.nextAttempt', { when: fmt.dateTime(d.nextAttemptAt) })}</div>
                    )}
                  </td>
                  <td class="num">{d.attempts}</td>
                  <td class="small" data-testid="last-answer">
                    {lastAnswer(d)}
                  </td>
                  <td>
                    <div class="row-actions">
                      <button
                        type="button"
                        class="btn btn-small"
                        aria-expanded={Boolean(open)}
                        onClick={() => log.toggle(d.id).catch(() => {})}
                      >
                        {open ? t('al.hide') : t('al.details')}
                      </button>
                      <button type="button" class="btn btn-small" onClick={() => replay(d.id)} data-action="replay">
                        {t('al.replay')}
                      </button>
                    </div>
                  </td>
                </tr>
                {open && (
                  <tr class="delivery-detail">
                    <td colSpan={cols}>
                      {open === 'loading' ? (
                        <span class="muted">{t('common.loading')}</span>
                      ) : (
                        <div class="grid-2">
                          <div>
                            <h4>{t('al.testAnswer')}</h4>
                            {open.lastError && <p class="small">{deliveryError(open.lastError)}</p>}
                            <pre class="code code-small" data-testid="response-excerpt">
                              {open.responseExcerpt ?? t('al.noAnswer')}
                            </pre>
                          </div>
                          <div>
                            <h4>{t('al.payload')}</h4>
                            <pre class="code code-small">{open.payload ? JSON.stringify(open.payload, null, 2) : '—'}</pre>
                          </div>
                        </div>
                      )}
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
