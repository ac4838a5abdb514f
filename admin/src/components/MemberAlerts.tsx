/**
 * @module
 * The member page's list of the alerts that fired for this member: when, which alert, the score
 * and tier at the time, whether the message got through — with details and "Send again".
 */
import { useEffect, useMemo } from 'preact/hooks';
import { t } from '../i18n/catalogue';
import { createDeliveryLog } from '../models/alertsModel';
import { DeliveryLogTable } from './DeliveryLogTable';

export function MemberAlerts({ memberId }: { memberId: string }) {
  const log = useMemo(() => createDeliveryLog({ member: memberId }), [memberId]);
  useEffect(() => {
    log.reload().catch(() => {});
  }, [log]);
  return (
    <section aria-labelledby="member-alerts-title" id="member-alerts">
      <h2 id="member-alerts-title">{t('al.memberTitle')}</h2>
      {log.status.value === 'ready' && log.items.value.length === 0 && <p class="muted">{t('al.memberNone')}</p>}
      {log.items.value.length > 0 && <DeliveryLogTable log={log} hideMember />}
    </section>
  );
}
