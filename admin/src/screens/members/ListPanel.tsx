/**
 * @module
 * The member list: one-click lists, filters, the table (score, tier and segment as of now),
 * "show more" paging, CSV downloads, and "open by ID" for a member or an anonymous visitor.
 */
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { Badge, Empty, ErrorBox, Field, Loading } from '../../components';
import { t, fmt } from '../../i18n/catalogue';
import { errorText } from '../../lib/errors';
import { segments } from '../../models/configModel';
import { DORMANT, EMPTY_FILTERS, HOT_TODAY, type ListFilters, memberList } from '../../models/memberListModel';

const same = (a: ListFilters, b: ListFilters) => (Object.keys(a) as (keyof ListFilters)[]).every((k) => a[k] === b[k]);

export function ListPanel() {
  const draft = useSignal<ListFilters>({ ...memberList.filters.value });
  const openId = useSignal('');
  const exportError = useSignal<string | null>(null);
  const { route } = useLocation();
  useEffect(() => {
    if (memberList.state.value.status === 'idle') memberList.load();
  }, []);
  const set = (key: keyof ListFilters) => (e: Event) => {
    draft.value = { ...draft.value, [key]: (e.currentTarget as HTMLInputElement).value };
  };
  const preset = (f: ListFilters) => {
    draft.value = { ...f };
    memberList.apply(f);
  };
  const segmentName = (key: string | null) => (key === null ? '—' : (segments.value.find((s) => s.key === key)?.name ?? key));
  const download = async (encoding: 'utf-8' | 'shift_jis') => {
    exportError.value = null;
    try {
      await memberList.downloadCsv(encoding);
    } catch (err) {
      exportError.value = errorText(err);
    }
  };
  const state = memberList.state.value;
  const list = state.data?.items ?? [];
  return (
    <div class="stack">
      <div class="card stack">
        <h2>{t('ml.presets')}</h2>
        <div class="row-actions">
          <button
            type="button"
            class={`btn${same(memberList.filters.value, HOT_TODAY) ? ' is-active' : ''}`}
            title={t('ml.hotTodayHelp')}
            onClick={() => preset(HOT_TODAY)}
          >
            {t('ml.hotToday')}
          </button>
          <button
            type="button"
            class={`btn${same(memberList.filters.value, DORMANT) ? ' is-active' : ''}`}
            title={t('ml.dormantHelp')}
            onClick={() => preset(DORMANT)}
          >
            {t('ml.dormant')}
          </button>
          <button type="button" class="btn btn-ghost" onClick={() => preset(EMPTY_FILTERS)}>
            {t('ml.clear')}
          </button>
        </div>
        <form
          class="stack"
          aria-label={t('ml.filters')}
          onSubmit={(e) => {
            e.preventDefault();
            memberList.apply(draft.value);
          }}
        >
          <div class="grid-2">
            <Field label={t('ml.q')}>{(a) => <input {...a} type="search" name="q" value={draft.value.q} onInput={set('q')} />}</Field>
            <Field label={t('ml.sort')}>
              {(a) => (
                <select {...a} name="sort" value={draft.value.sort} onChange={set('sort')}>
                  <option value="score">{t('ml.sortScore')}</option>
                  <option value="lastActive">{t('ml.sortLastActive')}</option>
                </select>
              )}
            </Field>
            <Field label={t('ml.tier')}>
              {(a) => (
                <select {...a} name="tier" value={draft.value.tier} onChange={set('tier')}>
                  <option value="">{t('ml.any')}</option>
                  {(['hot', 'warm', 'cold'] as const).map((tier) => (
                    <option key={tier} value={tier}>
                      {t(`tier.${tier}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t('ml.segment')}>
              {(a) => (
                <select {...a} name="segment" value={draft.value.segment} onChange={set('segment')}>
                  <option value="">{t('ml.any')}</option>
                  {segments.value
                    .filter((s) => s.enabled !== false)
                    .map((s) => (
                      <option key={s.key} value={s.key}>
                        {s.name}
                      </option>
                    ))}
                </select>
              )}
            </Field>
            <Field label={t('ml.minScore')}>
              {(a) => <input {...a} type="number" min={0} name="minScore" value={draft.value.minScore} onInput={set('minScore')} />}
            </Field>
            <Field label={t('ml.activeWithin')}>
              {(a) => (
                <input
                  {...a}
                  type="number"
                  min={1}
                  name="activeWithinDays"
                  value={draft.value.activeWithinDays}
                  onInput={set('activeWithinDays')}
                />
              )}
            </Field>
            <Field label={t('ml.inactiveFor')}>
              {(a) => (
                <input
                  {...a}
                  type="number"
                  min={1}
                  name="inactiveForDays"
                  value={draft.value.inactiveForDays}
                  onInput={set('inactiveForDays')}
                />
              )}
            </Field>
          </div>
          <div class="row-actions">
            <button type="submit" class="btn btn-primary">
              {t('ml.apply')}
            </button>
          </div>
        </form>
      </div>

      <fieldset class="row-actions" aria-label={t('ml.export')}>
        <button type="button" class="btn" onClick={() => download('utf-8')}>
          {t('ml.exportUtf8')}
        </button>
        <button type="button" class="btn" onClick={() => download('shift_jis')}>
          {t('ml.exportSjis')}
        </button>
        <span class="muted small">{t('ml.exportHelp')}</span>
      </fieldset>
      {exportError.value && <ErrorBox message={exportError.value} />}

      {state.status === 'loading' && list.length === 0 && <Loading />}
      {state.status === 'error' && <ErrorBox message={errorText(state.error)} onRetry={() => memberList.load()} />}
      {state.status !== 'error' &&
        state.status !== 'idle' &&
        (list.length === 0 && state.status === 'ready' ? (
          <Empty>{t('ml.none')}</Empty>
        ) : (
          <div class="table-wrap">
            <table class="table" id="members-table">
              <thead>
                <tr>
                  <th scope="col">ID</th>
                  <th scope="col">{t('ml.company')}</th>
                  <th scope="col" class="num">
                    {t('members.score')}
                  </th>
                  <th scope="col" class="num">
                    {t('fit.label')}
                  </th>
                  <th scope="col">{t('members.tier')}</th>
                  <th scope="col">{t('members.segment')}</th>
                  <th scope="col">{t('members.lastActive')}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((m) => (
                  <tr key={m.id}>
                    <td>
                      <a class="mono" href={`/admin/members/${encodeURIComponent(m.id)}`}>
                        {m.id}
                      </a>
                    </td>
                    <td>{typeof m.traits.company === 'string' ? m.traits.company : '—'}</td>
                    <td class="num">{fmt.number(m.score)}</td>
                    <td class="num" data-testid="member-fit">
                      {fmt.number(m.fit)}
                    </td>
                    <td>
                      <Badge tone={m.tier}>{t(`tier.${m.tier}`)}</Badge>
                    </td>
                    <td>{segmentName(m.segment)}</td>
                    <td>{fmt.dateTime(m.lastActiveAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      {list.length > 0 && (
        <div class="row-actions">
          <span class="muted" data-testid="members-shown">
            {t('ml.shown', { n: list.length })}
          </span>
          {state.data?.nextCursor && (
            <button type="button" class="btn" disabled={state.status === 'loading'} onClick={() => memberList.load(true)}>
              {t('ml.more')}
            </button>
          )}
        </div>
      )}

      <form
        class="search"
        onSubmit={(e) => {
          e.preventDefault();
          const id = openId.value.trim();
          if (id) route(`/admin/members/${encodeURIComponent(id)}`);
        }}
      >
        <Field label={t('ml.openId')}>
          {(a) => <input {...a} class="mono" name="id" value={openId.value} onInput={(e) => (openId.value = e.currentTarget.value)} />}
        </Field>
        <button type="submit" class="btn">
          {t('ml.open')}
        </button>
      </form>
    </div>
  );
}
