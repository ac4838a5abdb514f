/**
 * @module
 * Find a member (member id) or an anonymous visitor (visitor id) by prefix.
 */
import { useEffect } from 'preact/hooks';
import { Badge, Empty, ErrorBox, Field, Loading } from '../components';
import { errorText } from '../lib/errors';
import { fmt, t } from '../models/langModel';
import { query, results, search } from '../models/membersModel';

export function MembersScreen() {
  useEffect(() => {
    if (results.value.status === 'idle') search('');
  }, []);
  const r = results.value;
  const submit = (e: Event) => {
    e.preventDefault();
    search();
  };
  return (
    <section class="stack">
      <div>
        <h1>{t('members.title')}</h1>
        <p class="lead">{t('members.intro')}</p>
      </div>
      <form class="search" role="search" onSubmit={submit}>
        <Field label={t('members.search')}>
          {(a) => <input {...a} type="search" name="q" class="mono" value={query.value} onInput={(e) => (query.value = e.currentTarget.value)} />}
        </Field>
        <button type="submit" class="btn btn-primary">
          {t('members.find')}
        </button>
      </form>
      {r.status === 'loading' && !r.data && <Loading />}
      {r.status === 'error' && <ErrorBox message={errorText(r.error)} onRetry={() => search()} />}
      {r.data &&
        (r.data.length === 0 ? (
          <Empty>{query.value.trim() ? t('members.noResults', { q: query.value.trim() }) : t('common.none')}</Empty>
        ) : (
          <div class="table-wrap">
            {!query.value.trim() && <h2 class="sr-only">{t('members.recent')}</h2>}
            <table class="table" id="members-table">
              <thead>
                <tr>
                  <th scope="col">ID</th>
                  <th scope="col">{t('common.status')}</th>
                  <th scope="col" class="num">
                    {t('members.score')}
                  </th>
                  <th scope="col">{t('members.tier')}</th>
                  <th scope="col">{t('members.lastActive')}</th>
                </tr>
              </thead>
              <tbody>
                {r.data.map((m) => {
                  const id = m.kind === 'member' ? m.memberId! : m.visitorId!;
                  return (
                    <tr key={`${m.kind}:${id}`}>
                      <td>
                        <a class="mono" href={`/admin/members/${encodeURIComponent(id)}`}>
                          {id}
                        </a>
                        {m.kind === 'visitor' && m.memberId && <div class="muted small">→ {m.memberId}</div>}
                      </td>
                      <td>{m.kind === 'member' ? t('members.member') : t('members.visitor')}</td>
                      <td class="num">{fmt.number(m.score)}</td>
                      <td>
                        <Badge tone={m.tier}>{t(`tier.${m.tier}`)}</Badge>
                      </td>
                      <td>{fmt.dateTime(m.lastActiveAt)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ))}
    </section>
  );
}
export default MembersScreen;
