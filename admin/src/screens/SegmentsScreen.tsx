/**
 * @module
 * Segments in priority order: reorder (↑ ↓), enable/disable, edit, delete with confirmation.
 */
import type { Segment } from '@worker/schema/config';
import { Badge } from '../components/Badge';
import { Empty } from '../components/StatusView';
import { ChangeHistory } from '../components/ChangeHistory';
import { errorText } from '../lib/errors';
import { describeNamed } from '../lib/names';
import { segments } from '../models/configModel';
import { lang, t } from '../i18n/catalogue';
import { contentCount, deleteSegment, moveSegment, setSegmentEnabled } from '../models/segmentsModel';
import { announce, confirmAction } from '../models/uiModel';

async function attempt(action: () => Promise<void>, ok?: string) {
  try {
    await action();
    if (ok) announce(ok);
  } catch (err) {
    announce(errorText(err), 'error');
  }
}

function Row({ s, index, last }: { s: Segment; index: number; last: boolean }) {
  const rule = s.rule.conditions.map((c) => describeNamed(c));
  const joiner = s.rule.match === 'all' ? (lang.value === 'ja' ? ' かつ ' : ' and ') : lang.value === 'ja' ? ' または ' : ' or ';
  return (
    <tr class={s.enabled ? undefined : 'is-disabled'} data-segment={s.key}>
      <td class="num">{index + 1}</td>
      <td>
        {/* The key is for the site's developers (API, snippet): a tooltip, not a second name. */}
        <a href={`/admin/segments/${s.key}`} class="strong" title={s.key}>
          {s.name}
        </a>
      </td>
      <td class="rule-text">{rule.length ? rule.join(joiner) : <span class="muted">{t('segments.noConditions')}</span>}</td>
      <td>{s.enabled ? <Badge tone="ok">{t('common.enabled')}</Badge> : <Badge>{t('common.disabled')}</Badge>}</td>
      <td>
        <div class="row-actions">
          <button
            type="button"
            class="btn btn-icon"
            disabled={index === 0}
            aria-label={t('common.moveUp', { name: s.name })}
            onClick={() => attempt(() => moveSegment(s.key, -1), t('segments.reordered'))}
          >
            ↑
          </button>
          <button
            type="button"
            class="btn btn-icon"
            disabled={last}
            aria-label={t('common.moveDown', { name: s.name })}
            onClick={() => attempt(() => moveSegment(s.key, 1), t('segments.reordered'))}
          >
            ↓
          </button>
          <button type="button" class="btn btn-small" onClick={() => attempt(() => setSegmentEnabled(s, !s.enabled), t('common.saved'))}>
            {s.enabled ? t('common.disable') : t('common.enable')}
          </button>
          <button
            type="button"
            class="btn btn-small btn-danger-ghost"
            onClick={async () => {
              if (await confirmAction(t('confirm.deleteSegment', { name: s.name, count: contentCount(s.key) }), t('common.delete'))) {
                await attempt(() => deleteSegment(s.key), t('segments.deleted'));
              }
            }}
          >
            {t('common.delete')}
          </button>
        </div>
      </td>
    </tr>
  );
}

export function SegmentsScreen() {
  const list = segments.value;
  return (
    <section>
      <div class="page-head">
        <h1>{t('segments.title')}</h1>
        <a class="btn btn-primary" href="/admin/segments/new">
          + {t('segments.new')}
        </a>
      </div>
      <p class="lead">{t('segments.intro')}</p>
      <p class="muted small" data-testid="tier-vs-segment">
        {t('glossary.tierVsSegment')}
      </p>
      {list.length === 0 ? (
        <Empty
          action={
            <a class="btn btn-primary" href="/admin/segments/new">
              {t('segments.new')}
            </a>
          }
        >
          {t('segments.empty')}
        </Empty>
      ) : (
        <div class="table-wrap">
          <table class="table" id="segments-table">
            <thead>
              <tr>
                <th scope="col" class="num">
                  {t('segments.order')}
                </th>
                <th scope="col">{t('common.name')}</th>
                <th scope="col">{t('segments.rule')}</th>
                <th scope="col">{t('common.status')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((s, i) => (
                <Row key={s.key} s={s} index={i} last={i === list.length - 1} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div class="history-order">
        <ChangeHistory entity="segment_order" entityId="order" />
      </div>
    </section>
  );
}
export default SegmentsScreen;
