/**
 * @module
 * One member (or anonymous visitor): traits, score now, tier, segment and why (each segment's
 * conditions with the fact seen), the score history chart and recent events.
 */
import { Fragment } from 'preact';
import { useEffect } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { describeActual } from '@worker/core/describe';
import { describeFactor } from '@worker/core/propensity/describe';
import type { ConditionExplanation } from '@worker/core/segments';
import { Badge, Empty, ErrorBox, Loading, MemberAlerts, ScoreChart } from '../components';
import { errorText } from '../lib/errors';
import { config } from '../models/configModel';
import { fmt, lang, t } from '../i18n/catalogue';
import { describeNamed, propName, propValueName, traitName, traitValueName, eventLabel } from '../lib/names';
import { memberDetail, openMember } from '../models/membersModel';

/** A scoring rule by the action it scores (its id is a key, not a name). */
function ruleLabel(id: string): string {
  const rule = config.value?.scoring.rules.find((r) => r.id === id);
  return rule ? eventLabel(rule.eventType) : id;
}

function Why({ c }: { c: ConditionExplanation }) {
  return (
    <li>
      <span class={c.matched ? 'yes' : 'no'} aria-hidden="true">
        {c.matched ? '✓' : '✗'}
      </span>{' '}
      <span class="sr-only">{c.matched ? t('members.matched') : t('members.notMatched')}: </span>
      {describeNamed(c.condition)}{' '}
      {c.condition.type !== 'group' && <span class="muted small">({t('members.actual', { value: describeActual(c, lang.value) })})</span>}
      {c.children && (
        <ul>
          {c.children.map((x, i) => (
            <Why key={i} c={x} />
          ))}
        </ul>
      )}
    </li>
  );
}

export function MemberScreen() {
  const { params } = useRoute();
  const id = decodeURIComponent(params.id ?? '');
  useEffect(() => {
    openMember(id);
  }, [id]);
  const s = memberDetail.value;
  if (s.status === 'error' && s.error?.status === 404)
    return <Empty action={<a href="/admin/members">{t('common.back')}</a>}>{t('common.notFound')}</Empty>;
  if (s.status === 'error') return <ErrorBox message={errorText(s.error)} onRetry={() => openMember(id)} />;
  if (!s.data) return <Loading />;
  const m = s.data;
  const settings = config.value?.scoring.settings ?? { warmAt: 30, hotAt: 80, decayPerDay: m.decayPerDay };
  const winner = m.explanation.find((e) => e.matched)?.key;
  const traits = Object.entries(m.traits);
  return (
    <section class="stack" id="member-detail">
      <div class="page-head">
        <h1 class="mono">{m.memberId ?? m.visitorId}</h1>
        <a href="/admin/members" class="btn btn-ghost">
          {t('common.back')}
        </a>
      </div>
      <div class="stat-row">
        <div class="stat">
          <div class="label">{t('members.lastActive')}</div>
          <div class="value small">{fmt.dateTime(m.lastActiveAt)}</div>
          <div class="small muted">{m.kind === 'member' ? t('members.member') : t('members.visitor')}</div>
        </div>
        <div class="stat">
          <div class="label">{t('members.score')}</div>
          <div class="value" data-testid="member-score">
            {fmt.number(m.score)}
          </div>
        </div>
        <div class="stat">
          <div class="label">{t('fit.label')}</div>
          <div class="value" data-testid="member-fit">
            {fmt.number(m.fit)}
          </div>
          <div class="small muted" data-testid="member-fit-reasons">
            {m.fitReasons.length
              ? t('fit.reasons', { list: m.fitReasons.map((r) => `${r.ruleId} ${r.points > 0 ? '+' : ''}${r.points}`).join(', ') })
              : t('fit.noReasons')}
          </div>
        </div>
        <div class="stat">
          <div class="label">{t('members.tier')}</div>
          <div class="value">
            <Badge tone={m.tier}>{t(`tier.${m.tier}`)}</Badge>
          </div>
        </div>
        <div class="stat">
          <div class="label">{t('members.segment')}</div>
          <div class="value small" data-testid="member-segment">
            {m.segment ? m.segment.name : t('scoring.noSegment')}
          </div>
        </div>
      </div>
      <div class="split">
        <div>
          <h2>{t('members.history')}</h2>
          {m.events.length ? (
            <ScoreChart
              events={m.events.map((e) => ({ at: Date.parse(e.at), points: e.points, scoreAfter: e.scoreAfter, type: e.type }))}
              decayPerDay={m.decayPerDay}
              now={Date.now()}
              warmAt={settings.warmAt}
              hotAt={settings.hotAt}
            />
          ) : (
            <p class="muted">{t('members.noEvents')}</p>
          )}
          {m.propensity.length > 0 && (
            <>
              <h2>{t('members.propensity')}</h2>
              <ul class="stack-sm" id="member-propensity">
                {m.propensity.map((p) => (
                  <li key={p.model} data-model={p.model}>
                    <strong>{t('members.propensityOf', { name: p.name, p: fmt.percent(p.probability) })}</strong>{' '}
                    {!p.usable && <Badge tone="warm">{t('models.notUsable')}</Badge>}
                    <ul class="small">
                      {p.factors.map((f, i) => (
                        <li key={i}>{describeFactor(f, lang.value)}</li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ul>
            </>
          )}
          <h2>{t('members.why')}</h2>
          <p class="muted small">{t('members.whyIntro')}</p>
          <ol class="why">
            {m.explanation.map((seg) => (
              <li key={seg.key} class={seg.key === winner ? 'is-winner' : undefined}>
                <strong title={seg.key}>{seg.name}</strong>{' '}
                {seg.matched ? <Badge tone="ok">{t('members.matched')}</Badge> : <Badge>{t('members.notMatched')}</Badge>}
                <ul>
                  {seg.conditions.map((c, i) => (
                    <Why key={i} c={c} />
                  ))}
                </ul>
              </li>
            ))}
          </ol>
        </div>
        <aside class="card">
          <h2>{t('members.traits')}</h2>
          {traits.length ? (
            <dl class="kv">
              {traits.map(([k, v]) => (
                <Fragment key={k}>
                  <dt title={k}>{traitName(k)}</dt>
                  <dd>{traitValueName(k, v)}</dd>
                </Fragment>
              ))}
            </dl>
          ) : (
            <p class="muted">{t('members.noTraits')}</p>
          )}
          {m.visitorIds.length > 0 && (
            <>
              <h3>{t('members.visitorIds')}</h3>
              <ul class="small mono">
                {m.visitorIds.map((v) => (
                  <li key={v}>{v}</li>
                ))}
              </ul>
            </>
          )}
        </aside>
      </div>
      {m.memberId && <MemberAlerts memberId={m.memberId} />}
      <h2>{t('members.events')}</h2>
      {m.events.length === 0 ? (
        <p class="muted">{t('members.noEvents')}</p>
      ) : (
        <div class="table-wrap">
          <table class="table" id="events-table">
            <thead>
              <tr>
                <th scope="col">{t('members.when')}</th>
                <th scope="col">{t('members.event')}</th>
                <th scope="col">{t('scoring.simProp')}</th>
                <th scope="col" class="num">
                  {t('members.points')}
                </th>
                <th scope="col" class="num">
                  {t('members.scoreAfter')}
                </th>
              </tr>
            </thead>
            <tbody>
              {m.events.slice(0, 50).map((e) => (
                <tr key={e.id}>
                  <td>{fmt.dateTime(e.at)}</td>
                  <td>{eventLabel(e.type)}</td>
                  <td class="small muted">
                    {Object.entries(e.props)
                      .map(([k, v]) => `${propName(k)}: ${v === null ? '—' : propValueName(k, v)}`)
                      .join(' · ')}
                    {e.breakdown.length > 0 && <div>{e.breakdown.map((b) => `${ruleLabel(b.ruleId)} +${b.points}`).join(', ')}</div>}
                  </td>
                  <td class="num">{e.points > 0 ? `+${fmt.number(e.points)}` : fmt.number(e.points)}</td>
                  <td class="num">{fmt.number(e.scoreAfter)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
export default MemberScreen;
