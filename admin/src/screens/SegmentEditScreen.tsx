/**
 * @module
 * Create or edit a segment: name, key, description, the rule builder, and live "who matches
 * now" with a few of them.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { Badge, Empty, Field, RuleBuilder } from '../components';
import { FormFailure, SaveButton } from '../components/FormActions';
import { ChangeHistory } from '../components/ChangeHistory';
import { SegmentHistoryCard } from '../components/SegmentHistoryCard';
import { keyFromName } from '../lib/keys';
import { traitName, traitValueName } from '../lib/names';
import { useUnsavedGuard } from '../lib/unsavedGuard';
import { segments } from '../models/configModel';
import { fmt, t } from '../i18n/catalogue';
import { createSegmentEditor, type SegmentEditor } from '../models/segmentsModel';
import { announce, confirmAction } from '../models/uiModel';

function LivePreview({ editor }: { editor: SegmentEditor }) {
  const p = editor.preview.value;
  return (
    <aside class="card live" aria-live="polite" aria-busy={p.status === 'loading'}>
      <h2>{t('segments.live')}</h2>
      {p.status === 'invalid' && <p class="muted">{t('segments.liveInvalid')}</p>}
      {p.status === 'error' && <p class="field-error">{t('common.error')}</p>}
      {(p.status === 'ready' || (p.status === 'loading' && p.total > 0)) && (
        <>
          <p class="big-number" data-testid="live-count">
            {fmt.number(p.count)}
          </p>
          <p class="muted">{t('segments.liveCount', { count: fmt.number(p.count), total: fmt.number(p.total) })}</p>
          {p.count === 0 ? (
            <p class="muted">{t('segments.liveNone')}</p>
          ) : (
            <>
              <h3>{t('segments.sample')}</h3>
              <ul class="sample">
                {p.sample.map((m) => {
                  const id = m.memberId ?? m.visitorId ?? '';
                  return (
                    <li key={id}>
                      <a href={`/admin/members/${encodeURIComponent(id)}`} class="mono">
                        {id}
                      </a>{' '}
                      <Badge tone={m.tier}>{t(`tier.${m.tier}`)}</Badge> <span class="muted">{fmt.number(m.score)}</span>{' '}
                      <span class="muted small" data-testid="sample-fit">
                        {t('fit.label')} {fmt.number(m.fit)}
                      </span>
                      <div class="muted small">
                        {Object.entries(m.traits)
                          .slice(0, 4)
                          .map(([k, v]) => `${traitName(k)}: ${traitValueName(k, v)}`)
                          .join(' · ')}
                      </div>
                    </li>
                  );
                })}
              </ul>
            </>
          )}
        </>
      )}
      {p.status === 'loading' && p.total === 0 && <p class="muted">{t('common.loading')}</p>}
    </aside>
  );
}

/** Where the new segment goes in the match order, said in words, with the choice to move it. */
function Placement({ editor }: { editor: SegmentEditor }) {
  const list = segments.value;
  const before = editor.placeBefore.value;
  const at = before ? list.findIndex((s) => s.key === before) : -1;
  const n = at >= 0 ? at + 1 : list.length + 1;
  return (
    <Field label={t('form.placement')} help={`${t('form.placeNote', { n, total: list.length + 1 })} ${t('form.placementHelp')}`}>
      {(a) => (
        <select {...a} name="placement" value={before ?? ''} onChange={(e) => (editor.placeBefore.value = e.currentTarget.value || null)}>
          {list.map((s) => (
            <option key={s.key} value={s.key}>
              {t('form.placeBefore', { name: s.name || s.key })}
            </option>
          ))}
          <option value="">{t('form.placeLast', { name: list.at(-1)?.name ?? '' })}</option>
        </select>
      )}
    </Field>
  );
}

export function SegmentEditScreen() {
  const { params } = useRoute();
  const { route } = useLocation();
  const key = params.key;
  const existing = key ? (segments.value.find((s) => s.key === key) ?? null) : null;
  // A restore from the change history below starts the editor again from the restored version.
  const [revision, setRevision] = useState(0);
  const editor = useMemo(() => createSegmentEditor(existing), [key, Boolean(existing), revision]);
  const keyTouched = useRef(false);
  useUnsavedGuard(editor.dirty.value);
  // Counts who matches at once, then shortly after the rule stops changing.
  const counted = useRef<SegmentEditor | null>(null);
  const ruleNow = JSON.stringify(editor.draft.value.rule);
  useEffect(() => {
    const timer = setTimeout(() => editor.runPreview(), counted.current === editor ? 400 : 0);
    counted.current = editor;
    return () => clearTimeout(timer);
  }, [editor, ruleNow]);

  if (key && !existing) return <Empty action={<a href="/admin/segments">{t('common.back')}</a>}>{t('common.notFound')}</Empty>;

  const d = editor.draft.value;
  const errors = editor.errors.value;
  const save = async (e: Event) => {
    e.preventDefault();
    // No conditions match everyone: fine for a catch-all, a surprise otherwise. Ask first.
    if (d.rule.conditions.length === 0 && !(await confirmAction(t('form.noConditions'), t('form.saveAnyway')))) return;
    const saved = await editor.save();
    if (saved) {
      announce(t('common.saved'));
      route('/admin/segments');
    }
  };

  return (
    <section>
      <div class="page-head">
        <h1>{editor.isNew ? t('segments.create') : t('segments.edit')}</h1>
        <a href="/admin/segments" class="btn btn-ghost">
          {t('common.back')}
        </a>
      </div>
      <div class="split">
        <form class="card form" onSubmit={save} noValidate id="segment-form">
          <div class="grid-2">
            <Field label={t('common.name')} error={errors.name}>
              {(a) => (
                <input
                  {...a}
                  name="name"
                  value={d.name}
                  onInput={(e) => {
                    const name = e.currentTarget.value;
                    // A new segment's key follows its name until the marketer types one.
                    const key =
                      editor.isNew && !keyTouched.current
                        ? keyFromName(
                            name,
                            segments.value.map((s) => s.key),
                          )
                        : d.key;
                    editor.update({ name, key });
                  }}
                />
              )}
            </Field>
            <Field label={t('common.key')} error={errors.key} help={editor.isNew ? t('segments.keyAuto') : undefined}>
              {(a) => (
                <input
                  {...a}
                  name="key"
                  class="mono"
                  value={d.key}
                  readOnly={!editor.isNew}
                  onInput={(e) => {
                    keyTouched.current = true;
                    editor.update({ key: e.currentTarget.value });
                  }}
                />
              )}
            </Field>
          </div>
          <Field label={t('common.description')} error={errors.description}>
            {(a) => (
              <textarea {...a} rows={2} value={d.description} onInput={(e) => editor.update({ description: e.currentTarget.value })} />
            )}
          </Field>
          {editor.isNew && <Placement editor={editor} />}
          <label class="check">
            <input type="checkbox" checked={d.enabled} onChange={(e) => editor.update({ enabled: e.currentTarget.checked })} />{' '}
            {t('common.enabled')}
          </label>
          <h2>{t('segments.conditions')}</h2>
          {d.rule.conditions.length === 0 && (
            <p class="banner banner-warn" role="status" id="no-conditions">
              {t('form.noConditions')}
            </p>
          )}
          <RuleBuilder
            match={d.rule.match}
            conditions={d.rule.conditions}
            errors={errors}
            path="rule.conditions"
            onChange={(match, conditions) => {
              editor.update({ rule: { match, conditions } });
            }}
          />
          <FormFailure failure={editor.failure.value} />
          <div class="actions">
            <SaveButton saving={editor.saving.value} />
          </div>
        </form>
        <LivePreview editor={editor} />
      </div>
      {existing && <SegmentHistoryCard segmentKey={existing.key} />}
      {existing && (
        <ChangeHistory entity="segment" entityId={existing.key} dirty={editor.dirty.value} onRestored={() => setRevision((r) => r + 1)} />
      )}
    </section>
  );
}
export default SegmentEditScreen;
