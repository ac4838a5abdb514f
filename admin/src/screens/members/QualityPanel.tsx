/**
 * @module
 * Attribute quality: per trait, members with a value, share, distinct values, the most common
 * values and the segments that use it; a warning above the table for every segment that
 * depends on a trait most members lack.
 */
import { useEffect } from 'preact/hooks';
import { Empty, ErrorBox, Loading } from '../../components';
import { t, fmt } from '../../i18n/catalogue';
import { errorText } from '../../lib/errors';
import { segments } from '../../models/configModel';
import { loadQuality, traitQuality } from '../../models/traitQualityModel';

export function QualityPanel() {
  useEffect(() => {
    loadQuality();
  }, []);
  const q = traitQuality.value;
  const name = (key: string) => segments.value.find((s) => s.key === key)?.name ?? key;
  if (q.status === 'error') return <ErrorBox message={errorText(q.error)} onRetry={() => loadQuality()} />;
  if (!q.data) return <Loading />;
  const d = q.data;
  return (
    <div class="stack">
      <p class="lead">
        {t('q.intro')} <strong>{t('q.members', { n: d.members })}</strong>
      </p>
      {d.warnings.length ? (
        <ul class="stack" id="quality-warnings">
          {d.warnings.map((w) => (
            <li key={`${w.segment}:${w.trait}`} class="card" role="alert">
              ⚠ {t('q.warning', { segment: name(w.segment), trait: w.trait, share: fmt.percent(w.share) })}
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">{t('q.noWarnings')}</p>
      )}
      {d.traits.length === 0 ? (
        <Empty>{t('q.empty')}</Empty>
      ) : (
        <div class="table-wrap">
          <table class="table" id="quality-table">
            <thead>
              <tr>
                <th scope="col">{t('q.trait')}</th>
                <th scope="col" class="num">
                  {t('q.have')}
                </th>
                <th scope="col" class="num">
                  {t('q.share')}
                </th>
                <th scope="col" class="num">
                  {t('q.distinct')}
                </th>
                <th scope="col">{t('q.top')}</th>
                <th scope="col">{t('q.usedBy')}</th>
              </tr>
            </thead>
            <tbody>
              {d.traits.map((s) => (
                <tr key={s.key} data-trait={s.key}>
                  <td class="mono">{s.key}</td>
                  <td class="num">{fmt.number(s.members)}</td>
                  <td class="num">{fmt.percent(s.share)}</td>
                  <td class="num">{fmt.number(s.distinct)}</td>
                  <td>{s.top.map((v) => `${v.value} (${fmt.number(v.members)})`).join(', ') || '—'}</td>
                  <td>{s.segments.map(name).join(', ') || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
