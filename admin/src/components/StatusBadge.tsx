/**
 * @module
 * An experiment's status as a badge, toned the same on the list, the editor and the results:
 * running stands out, paused warns, a draft and a stopped test are quiet.
 *
 * @example <StatusBadge status={experiment.status} />
 */
import type { Experiment } from '@worker/schema/config';
import { t } from '../i18n/catalogue';
import { Badge } from './Badge';

const TONE = { draft: 'muted', running: 'info', paused: 'warn', stopped: 'muted' } as const;

export function StatusBadge({ status }: { status: Experiment['status'] }) {
  return <Badge tone={TONE[status] ?? 'muted'}>{t(`status.${status}`)}</Badge>;
}
