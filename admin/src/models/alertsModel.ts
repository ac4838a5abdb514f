/**
 * @module
 * Sales alerts in the console: the list, the editor (a draft with field errors; the secret of a
 * new alert kept only until the marketer has copied it), "Send test", and the delivery log with
 * its filters, pages, details and replay — all through the typed API client.
 */
import { signal } from '@preact/signals';
import type {
  Alert,
  AlertFormat,
  AlertLanguage,
  AlertTrigger,
  Delivery,
  DeliveryDetail,
  DeliveryStatus,
  TestSendResult,
} from '@worker/schema/alerts';
import { api, type ApiFailure, unwrap } from '../api/client';
import { hasText, t } from '../i18n/catalogue';
import { createForm } from '../lib/form';
import { type FieldErrors, toFieldErrors } from '../lib/issues';
import { createLoader } from '../lib/loader';
import { createPagedList } from '../lib/pages';

const alertList = createLoader(async () => (await unwrap(api.alerts.$get())).alerts as Alert[]);

/** The alerts, as last loaded. */
export const alerts = alertList.state;
export const loadAlerts = () => alertList.load();

export type TriggerType = AlertTrigger['type'];

/** The editor's form: every field as typed (the trigger's three arguments all kept). */
export interface AlertDraft {
  name: string;
  enabled: boolean;
  triggerType: TriggerType;
  segment: string;
  tier: 'hot' | 'warm';
  score: string;
  url: string;
  format: AlertFormat;
  language: AlertLanguage;
  cooldownDays: string;
}

export function toDraft(a: Alert | null, firstSegment = ''): AlertDraft {
  const t = a?.trigger;
  return {
    name: a?.name ?? '',
    enabled: a?.enabled ?? true,
    triggerType: t?.type ?? 'segment_entered',
    segment: t?.type === 'segment_entered' ? t.segment : firstSegment,
    tier: t?.type === 'tier_reached' ? t.tier : 'hot',
    score: t?.type === 'score_reached' ? String(t.score) : '80',
    url: a?.destination.url ?? '',
    format: a?.destination.format ?? 'standard',
    language: a?.destination.language ?? 'ja',
    cooldownDays: String(a?.cooldownDays ?? 7),
  };
}

/** What the API takes. Numbers typed as text go as numbers (or as text, for the API to refuse). */
export function toInput(d: AlertDraft) {
  const num = (s: string) => (s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : (s as unknown as number));
  const trigger: AlertTrigger =
    d.triggerType === 'segment_entered'
      ? { type: 'segment_entered', segment: d.segment }
      : d.triggerType === 'tier_reached'
        ? { type: 'tier_reached', tier: d.tier }
        : { type: 'score_reached', score: num(d.score) };
  return {
    name: d.name,
    enabled: d.enabled,
    trigger,
    destination: { url: d.url.trim(), format: d.format, language: d.language },
    cooldownDays: num(d.cooldownDays),
  };
}

/**
 * Field errors keyed like the form's fields; a refused URL says why in the marketer's words.
 * @example alertFieldErrors(failure.issues)['destination.url'] // 'プライベートネットワーク内のアドレスです。…'
 */
export function alertFieldErrors(issues: ApiFailure['issues']): FieldErrors {
  const out = toFieldErrors(issues);
  for (const issue of issues) {
    const why = issue.params?.why;
    const key = `al.url.${String(why)}`;
    if (issue.params?.reason === 'url_not_allowed' && hasText(key)) out[issue.path.join('.')] = t(key);
  }
  return out;
}

export function createAlertEditor(existing: Alert | null, firstSegment = '') {
  const current = signal<Alert | null>(existing);
  /** A new alert's secret: shown once, forgotten when the marketer says it is copied. */
  const secret = signal<string | null>(null);
  const form = createForm({
    initial: toDraft(existing, firstSegment),
    errorsOf: (f) => alertFieldErrors(f.issues ?? []),
    submit: async (d: AlertDraft): Promise<Alert> => {
      const json = toInput(d);
      const id = current.value?.id;
      const saved = id
        ? ((await unwrap(api.alerts[':id'].$put({ param: { id }, json }))) as Alert)
        : await unwrap(api.alerts.$post({ json }));
      if (!id && 'secret' in saved) secret.value = (saved as { secret: string }).secret;
      const { secret: _s, ...alert } = saved as Alert & { secret?: string };
      current.value = alert;
      loadAlerts().catch(() => {});
      return alert;
    },
    // The saved alert as the API wrote it (trimmed URL, numbers) is what the form goes on from.
    after: (alert) => toDraft(alert),
  });
  const test = signal<{ status: 'idle' | 'sending' | 'done' | 'error'; result: TestSendResult | null; error: ApiFailure | null }>({
    status: 'idle',
    result: null,
    error: null,
  });
  return {
    ...form,
    current,
    secret,
    test,
    /** Saves; resolves to the saved alert (with its secret shown once when just created), or null on a refusal. */
    save: form.save,
    async sendTest(): Promise<void> {
      const id = current.value?.id;
      if (!id) return;
      test.value = { status: 'sending', result: null, error: null };
      try {
        const result = await unwrap(api.alerts[':id'].test.$post({ param: { id } }));
        test.value = { status: 'done', result, error: null };
        deliveryLog.reload().catch(() => {});
      } catch (err) {
        test.value = { status: 'error', result: null, error: err as ApiFailure };
      }
    },
    async rotateSecret(): Promise<void> {
      const id = current.value?.id;
      if (!id) return;
      const out = await unwrap(api.alerts[':id'].secret.$post({ param: { id } }));
      secret.value = out.secret;
    },
  };
}
export type AlertEditor = ReturnType<typeof createAlertEditor>;

export async function deleteAlert(id: string): Promise<void> {
  await unwrap(api.alerts[':id'].$delete({ param: { id } }));
  await loadAlerts();
}

export interface LogFilter {
  alert: string;
  status: '' | DeliveryStatus;
  member: string;
}

const PAGE = 50;

/** A delivery log: one for the alerts screen, one per member page. */
export function createDeliveryLog(initial: Partial<LogFilter> = {}) {
  const list = createPagedList({ alert: '', status: '', member: '', ...initial }, async (f: LogFilter, before: number | null) => {
    const q: Record<string, string> = { limit: String(PAGE) };
    if (f.alert) q.alert = f.alert;
    if (f.status) q.status = f.status;
    if (f.member) q.member = f.member;
    if (before) q.before = String(before);
    const body = await unwrap(api.deliveries.$get({ query: q }));
    return { items: body.items as Delivery[], next: body.nextBefore };
  });
  const { items } = list;
  const open = signal<Record<string, DeliveryDetail | 'loading'>>({});
  return {
    ...list,
    open,
    /** Changes some of the filters and reads the first page. */
    setFilter: (patch: Partial<LogFilter>) => list.setFilter({ ...list.filter.value, ...patch }),
    async toggle(id: string) {
      if (open.value[id]) {
        const { [id]: _gone, ...rest } = open.value;
        open.value = rest;
        return;
      }
      open.value = { ...open.value, [id]: 'loading' };
      const d = await unwrap(api.deliveries[':id'].$get({ param: { id } }));
      open.value = { ...open.value, [id]: d as DeliveryDetail };
    },
    /** Sends the message again (same id); the row shows it pending until the queue is done. */
    async replay(id: string): Promise<void> {
      const d = (await unwrap(api.deliveries[':id'].replay.$post({ param: { id } }))) as Delivery;
      items.value = items.value.map((x) => (x.id === id ? d : x));
    },
  };
}
export type DeliveryLog = ReturnType<typeof createDeliveryLog>;

/** The alerts screen's log (kept across visits, so filters stay as they were). */
export const deliveryLog = createDeliveryLog();
