/**
 * @module
 * Slots × segments grid: each cell opens the content editor of that (slot, segment).
 */
import { useSignal } from '@preact/signals';
import { Badge, Empty, Field } from '../components';
import { errorText } from '../lib/errors';
import type { FieldErrors } from '../lib/issues';
import { segments, slots } from '../models/configModel';
import { cellExperiment, cellVariants, createSlot, deleteSlot } from '../models/contentModel';
import { t } from '../i18n/catalogue';
import { announce, confirmAction } from '../models/uiModel';

function NewSlotForm() {
  const key = useSignal('');
  const name = useSignal('');
  const errors = useSignal<FieldErrors>({});
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      const result = await createSlot(key.value.trim(), name.value.trim());
      if (result) {
        errors.value = result;
        return;
      }
      errors.value = {};
      key.value = '';
      name.value = '';
      announce(t('common.saved'));
    } catch (err) {
      announce(errorText(err), 'error');
    }
  };
  return (
    <form class="card form inline-form" onSubmit={submit} noValidate aria-label={t('content.newSlot')}>
      <h2>{t('content.newSlot')}</h2>
      <div class="grid-2">
        <Field label={t('common.key')} error={errors.value.key} help={t('common.keyHelp')}>
          {(a) => <input {...a} name="slot-key" class="mono" value={key.value} onInput={(e) => (key.value = e.currentTarget.value)} />}
        </Field>
        <Field label={t('common.name')} error={errors.value.name}>
          {(a) => <input {...a} name="slot-name" value={name.value} onInput={(e) => (name.value = e.currentTarget.value)} />}
        </Field>
      </div>
      <div class="actions">
        <button type="submit" class="btn">
          + {t('common.add')}
        </button>
      </div>
    </form>
  );
}

export function ContentScreen() {
  const slotList = slots.value;
  const segmentList = segments.value;
  return (
    <section class="stack">
      <div>
        <h1>{t('content.title')}</h1>
        <p class="lead">{t('content.intro')}</p>
      </div>
      {slotList.length === 0 ? (
        <Empty>{t('content.noSlots')}</Empty>
      ) : segmentList.length === 0 ? (
        <Empty action={<a href="/admin/segments/new">{t('segments.new')}</a>}>{t('content.noSegments')}</Empty>
      ) : (
        <div class="table-wrap">
          <table class="table grid-table" id="content-grid">
            <thead>
              <tr>
                <th scope="col">{t('nav.segments')}</th>
                {slotList.map((s) => (
                  <th scope="col" key={s.key}>
                    <span class="mono">{s.key}</span> <span class="muted">{s.name}</span>{' '}
                    <button
                      type="button"
                      class="btn btn-icon btn-ghost"
                      aria-label={t('content.deleteSlot', { name: s.key })}
                      title={t('content.deleteSlot', { name: s.key })}
                      onClick={async () => {
                        if (!(await confirmAction(t('confirm.delete', { name: s.key }), t('common.delete')))) return;
                        try {
                          await deleteSlot(s.key);
                        } catch (err) {
                          announce(errorText(err), 'error');
                        }
                      }}
                    >
                      ×
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {segmentList.map((seg) => (
                <tr key={seg.key}>
                  <th scope="row">
                    {seg.name}
                    <div class="muted mono small">{seg.key}</div>
                  </th>
                  {slotList.map((slot) => {
                    const list = cellVariants(slot.key, seg.key);
                    const served = list.find((v) => v.enabled);
                    const exp = cellExperiment(slot.key, seg.key);
                    return (
                      <td key={slot.key}>
                        <a
                          class={`cell-link${served ? ' has-content' : ''}`}
                          href={`/admin/content/${slot.key}/${seg.key}`}
                          data-cell={`${slot.key}:${seg.key}`}
                        >
                          {served ? served.name || served.id : list.length ? t('common.disabled') : `+ ${t('content.addVariant')}`}
                        </a>
                        {list.length > 1 && <span class="muted small">+{list.length - 1}</span>}
                        {exp && (
                          <div>
                            <Badge tone={exp.status === 'running' ? 'info' : 'muted'}>
                              {t(`content.status.${exp.status}`, { name: exp.name || exp.id })}
                            </Badge>
                          </div>
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <NewSlotForm />
    </section>
  );
}
export default ContentScreen;
