/**
 * @module
 * A segment's history on its page: the chart, the latest day and the experiment outlook, and a
 * way to rebuild past days from the events when there is no history yet.
 */
import { useEffect, useState } from 'preact/hooks';
import { backfillHistory, loadHistory, segmentHistory } from '../models/historyModel';
import { t } from '../i18n/catalogue';
import { SegmentHistoryChart, SegmentOutlook } from './SegmentHistoryChart';

export function SegmentHistoryCard({ segmentKey }: { segmentKey: string }) {
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    loadHistory().catch(() => {});
  }, [segmentKey]);
  const entry = segmentHistory.value.data?.segments.find((s) => s.key === segmentKey);
  return (
    <section class="card" aria-labelledby="history-title" id="segment-history">
      <h2 id="history-title">{t('segmentHistory.title')}</h2>
      {entry && (
        <>
          <SegmentHistoryChart entry={entry} />
          <SegmentOutlook entry={entry} />
        </>
      )}
      {entry && entry.history.length === 0 && (
        <div class="actions-inline">
          <button
            type="button"
            class="btn btn-small"
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              try {
                await backfillHistory(90);
              } finally {
                setBusy(false);
              }
            }}
          >
            {busy ? t('history.backfilling') : t('history.backfill')}
          </button>
          <span class="muted small">{t('history.backfillHelp')}</span>
        </div>
      )}
    </section>
  );
}
