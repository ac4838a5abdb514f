/**
 * @module
 * The console's overview: every segment's size now, its change over 7 days and its last 90
 * days as a sparkline (with a flag when it is too small to test on), the live experiments, and
 * today's hot leads.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, unwrap, type Body } from '../api/client';
import { Badge, ErrorBox, Loading } from '../components';
import { errorText } from '../lib/errors';
import { historyGeometry, sizeChange } from '../lib/historyChart';
import { experiments, segmentName } from '../models/configModel';
import { loadHistory, segmentHistory } from '../models/historyModel';
import { fmt, t } from '../i18n/catalogue';

type HotLeads = Body<Awaited<ReturnType<typeof api.members.$get>>>;

const SPARK = { width: 128, height: 26, pad: { top: 2, right: 2, bottom: 2, left: 2 } };

function Spark({ rows }: { rows: { date: string; size: number; entered: number; exited: number }[] }) {
  if (rows.length < 2) return <span class="muted">—</span>;
  // Only the line: a sparkline has no room for the entries/exits band.
  const g = historyGeometry(
    rows.map((r) => ({ ...r, entered: 0, exited: 0 })),
    SPARK,
  );
  return (
    <svg class="spark" viewBox={`0 0 ${SPARK.width} ${SPARK.height}`} aria-hidden="true">
      <path d={g.path} />
    </svg>
  );
}

export function HomeScreen() {
  const [leads, setLeads] = useState<HotLeads | null>(null);
  useEffect(() => {
    loadHistory().catch(() => {});
    unwrap(api.members.$get({ query: { tier: 'hot', activeWithinDays: '1', limit: '10' } }))
      .then(setLeads)
      .catch(() => setLeads({ items: [], nextCursor: null }));
  }, []);
  const h = segmentHistory.value;
  const running = experiments.value.filter((e) => e.status === 'running');
  return (
    <section class="stack">
      <h1>{t('home.title')}</h1>
      <div class="card">
        <h2>{t('home.segments')}</h2>
        {h.status === 'error' && !h.data && <ErrorBox message={errorText(h.error)} onRetry={() => loadHistory()} />}
        {!h.data && h.status !== 'error' && <Loading />}
        {h.data && (
          <div class="table-wrap">
            <table class="table" id="home-segments">
              <thead>
                <tr>
                  <th scope="col">{t('home.segments')}</th>
                  <th scope="col" class="num">
                    {t('home.size')}
                  </th>
                  <th scope="col" class="num">
                    {t('home.week')}
                  </th>
                  <th scope="col">{t('home.trend')}</th>
                  <th scope="col">
                    <span class="sr-only">{t('segmentHistory.title')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {h.data.segments.map((s) => {
                  const change = sizeChange(s.history, 7);
                  return (
                    <tr key={s.key} data-segment={s.key}>
                      <td>
                        <a href={`/admin/segments/${encodeURIComponent(s.key)}`}>{s.name}</a>
                      </td>
                      <td class="num" data-testid="home-size">
                        {s.latest ? fmt.number(s.latest.size) : '—'}
                      </td>
                      <td class={`num ${change !== null && change > 0 ? 'delta-up' : change !== null && change < 0 ? 'delta-down' : ''}`}>
                        {change === null ? '—' : `${change > 0 ? '+' : ''}${fmt.number(change)}`}
                      </td>
                      <td>
                        <Spark rows={s.history} />
                      </td>
                      <td>{s.outlook.tooSmall && <Badge tone="warm">{t('home.tooSmallBadge')}</Badge>}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </div>
      <div class="split">
        <div class="card">
          <h2>{t('home.experiments')}</h2>
          {running.length === 0 ? (
            <p class="muted">{t('home.noExperiments')}</p>
          ) : (
            <ul id="home-experiments">
              {running.map((e) => (
                <li key={e.id}>
                  <a href={`/admin/experiments/${encodeURIComponent(e.id)}/results`}>{e.name || e.id}</a>{' '}
                  <span class="muted small">
                    {e.slot} × {segmentName(e.segment)}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </div>
        <div class="card">
          <h2>{t('home.hotLeads')}</h2>
          {leads === null ? (
            <Loading />
          ) : leads.items.length === 0 ? (
            <p class="muted">{t('home.noHotLeads')}</p>
          ) : (
            <ul id="home-hot-leads">
              {leads.items.map((m) => (
                <li key={m.id}>
                  <a class="mono" href={`/admin/members/${encodeURIComponent(m.id)}`}>
                    {m.id}
                  </a>{' '}
                  <span class="muted">{fmt.number(m.score)}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </section>
  );
}
export default HomeScreen;
