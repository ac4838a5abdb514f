/**
 * @module
 * Content of one (slot, segment): pick or create a variant, edit its HTML with a live preview
 * (a sandboxed frame: no scripts run), and see what the sanitizer removed on save.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { Badge, Empty, Field } from '../components';
import { FormFailure, SaveButton } from '../components/FormActions';
import { ChangeHistory } from '../components/ChangeHistory';
import { errorText } from '../lib/errors';
import { useUnsavedGuard } from '../lib/unsavedGuard';
import { charCount, htmlHints } from '../lib/htmlHints';
import { removalText } from '../lib/removals';
import { segmentName, segments, slots } from '../models/configModel';
import { cellVariants, createVariantEditor, deleteVariant, type VariantEditor } from '../models/contentModel';
import { fmt, t } from '../i18n/catalogue';
import { loadSiteSettings, siteSettings } from '../models/siteModel';
import { announce, confirmAction } from '../models/uiModel';

// A stylesheet file (admin/public), not a <style>: the srcdoc frame inherits the console's CSP,
// which allows styles from the console's own origin only. Copied as is, so never inlined as data:.
const FRAME_STYLE = '<link rel="stylesheet" href="/admin/variant-preview.css">';

/**
 * The frame's head: the console's plain style, then the site's own stylesheet when the site
 * settings name one (the console's policy allows that origin), so the variant looks as on the site.
 * @example frameHead('https://www.example.jp/a.css?v=1&x=2') // '<link … variant-preview.css><link rel="stylesheet" href="https://www.example.jp/a.css?v=1&amp;x=2">'
 */
export function frameHead(siteStylesheet: string | null): string {
  if (!siteStylesheet) return FRAME_STYLE;
  const href = siteStylesheet.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `${FRAME_STYLE}<link rel="stylesheet" href="${href}">`;
}

const MAX_NAME = 100;
const MAX_HTML = 32_000;
/** What the API takes in one request, less room for the name and the JSON around the HTML. */
const MAX_HTML_BYTES = 65_536 - 1_024;

/** "123 / 32,000 characters", or a warning when the text is too long to save. */
function counter(text: string, max: number): string {
  const params = { count: fmt.number(charCount(text)), max: fmt.number(max) };
  const tooLong = text.length > max || (max === MAX_HTML && new TextEncoder().encode(JSON.stringify(text)).length > MAX_HTML_BYTES);
  return t(tooLong ? 'form.charsOver' : 'form.chars', params);
}

function Editor({ editor, onSaved }: { editor: VariantEditor; onSaved: (id: string) => void }) {
  const d = editor.draft.value;
  const errors = editor.errors.value;
  const removed = editor.removed.value;
  const hints = htmlHints(d.html);
  const submit = async (e: Event) => {
    e.preventDefault();
    const saved = await editor.save();
    if (saved) {
      announce(t('common.saved'));
      onSaved(saved.id);
    }
  };
  return (
    <form class="split" onSubmit={submit} noValidate id="variant-form">
      <div class="card form">
        <Field label={t('common.name')} error={errors.name} help={counter(d.name, MAX_NAME)}>
          {(a) => <input {...a} name="name" value={d.name} onInput={(e) => editor.update({ name: e.currentTarget.value })} />}
        </Field>
        <Field label={t('variant.html')} error={errors.html} help={`${t('variant.htmlHelp')} ${counter(d.html, MAX_HTML)}`}>
          {(a) => (
            <textarea
              {...a}
              name="html"
              class="mono"
              rows={12}
              value={d.html}
              onInput={(e) => editor.update({ html: e.currentTarget.value })}
            />
          )}
        </Field>
        {hints.length > 0 && (
          <ul class="banner banner-warn hint-list" role="status" id="html-hints">
            {hints.map((h) => (
              <li key={h}>{h}</li>
            ))}
          </ul>
        )}
        <label class="check">
          <input type="checkbox" checked={d.enabled} onChange={(e) => editor.update({ enabled: e.currentTarget.checked })} />{' '}
          {t('common.enabled')}
        </label>
        {removed.length > 0 && (
          <div class="banner banner-warn" role="status" id="removed-report">
            {t('variant.removed')}
            <ul class="removed-list">
              {removed.map((r, i) => {
                const { what, why } = removalText(r);
                return (
                  <li key={i}>
                    <code>{what}</code> <span class="muted">— {why}</span>
                  </li>
                );
              })}
            </ul>
          </div>
        )}
        <FormFailure failure={editor.failure.value} />
        <div class="actions">
          <SaveButton saving={editor.saving.value} />
        </div>
      </div>
      <div>
        <h2 id="preview-label">{t('variant.preview')}</h2>
        <iframe
          class="preview-frame"
          title={t('variant.preview')}
          sandbox=""
          srcdoc={frameHead(siteSettings.value?.previewStylesheet ?? null) + d.html}
        />
      </div>
    </form>
  );
}

export function VariantEditScreen() {
  const { params, query } = useRoute();
  const { route } = useLocation();
  const slot = params.slot ?? '';
  const segment = params.segment ?? '';
  const list = cellVariants(slot, segment);
  const selectedId = query.variant ?? (query.new ? null : (list[0]?.id ?? null));
  const selected = list.find((v) => v.id === selectedId) ?? null;
  // One editor per selected variant; after creating one, the URL moves to its id and the same
  // editor stays (so the report of what the sanitizer removed stays on screen).
  const held = useRef<{ cell: string; id: string | null; editor: VariantEditor } | null>(null);
  // A restore from the change history below starts the editor again from the restored version.
  const [, setRevision] = useState(0);
  const cell = `${slot}/${segment}`;
  const h = held.current;
  if (!h || h.cell !== cell || (h.id !== selectedId && h.editor.id !== selectedId)) {
    held.current = { cell, id: selectedId, editor: createVariantEditor(slot, segment, selected) };
  }
  const editor = held.current!.editor;
  useUnsavedGuard(editor.dirty.value);
  useEffect(() => {
    // The site's stylesheet for the preview lives in the site settings.
    if (siteSettings.value === null) loadSiteSettings().catch(() => {});
  }, []);
  const base = `/admin/content/${slot}/${segment}`;

  if (!slots.value.some((s) => s.key === slot) || !segments.value.some((s) => s.key === segment)) {
    return <Empty action={<a href="/admin/content">{t('common.back')}</a>}>{t('common.notFound')}</Empty>;
  }
  const served = list.find((v) => v.enabled);
  return (
    <section>
      <div class="page-head">
        <h1>{t('variant.title', { slot: slots.value.find((s) => s.key === slot)?.name || slot, segment: segmentName(segment) })}</h1>
        <a class="btn btn-ghost" href="/admin/content">
          {t('common.back')}
        </a>
      </div>
      <h2>{t('variant.list')}</h2>
      {list.length === 0 && <p class="muted">{t('variant.none')}</p>}
      <ul class="variant-list">
        {list.map((v) => (
          <li key={v.id}>
            <a
              class={`btn btn-small${v.id === editor.id ? ' is-active' : ''}`}
              href={`${base}?variant=${v.id}`}
              aria-current={v.id === editor.id ? 'true' : undefined}
            >
              {v.name || v.id} {v === served && <Badge tone="ok">{t('variant.servedFirst')}</Badge>}
              {!v.enabled && <Badge>{t('common.disabled')}</Badge>}
            </a>
          </li>
        ))}
        <li>
          <a class={`btn btn-small${editor.id === null ? ' is-active' : ''}`} href={`${base}?new=1`}>
            + {t('variant.new')}
          </a>
        </li>
      </ul>
      <Editor editor={editor} onSaved={(id) => route(`${base}?variant=${id}`, true)} />
      {editor.id && (
        <div class="actions">
          <a class="btn" href={`/admin/experiments/new?slot=${encodeURIComponent(slot)}&segment=${encodeURIComponent(segment)}`}>
            {t('form.newExperiment')}
          </a>
          <button
            type="button"
            class="btn btn-danger-ghost"
            onClick={async () => {
              const id = editor.id!;
              if (!(await confirmAction(t('confirm.delete', { name: editor.draft.value.name || id }), t('common.delete')))) return;
              try {
                await deleteVariant(id);
                route(base, true);
              } catch (err) {
                announce(errorText(err), 'error');
              }
            }}
          >
            {t('common.delete')}
          </button>
        </div>
      )}
      {editor.id && (
        <ChangeHistory
          entity="variant"
          entityId={editor.id}
          dirty={editor.dirty.value}
          onRestored={() => {
            held.current = null;
            setRevision((r) => r + 1);
          }}
        />
      )}
    </section>
  );
}
export default VariantEditScreen;
