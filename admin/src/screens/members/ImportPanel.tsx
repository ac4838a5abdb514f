/**
 * @module
 * CSV import: choose a file, see how it was read (encoding), how each column is stored (the
 * marketer can change it), the first rows as they will be stored, and every problem by row;
 * then import. Every change re-checks the file without storing anything.
 */
import type { ImportErrorCode } from '@worker/core/member-import';
import { Badge, ErrorBox, Field, Loading } from '../../components';
import { t, fmt } from '../../i18n/catalogue';
import { errorText } from '../../lib/errors';
import { type EncodingChoice, memberImport } from '../../models/memberImportModel';

/** Traits offered in the column menu; any other slug can be typed. */
const KNOWN = ['company', 'industry', 'employees', 'department', 'role', 'level', 'region', 'phase', 'plan', 'email'];
const OTHER = '__other__';
const LEAVE_OUT = '__none__';

const errorWords = (code: ImportErrorCode) => t(`imp.err.${code}`);
const encodingName = (e: string) => (e === 'shift_jis' ? 'Shift_JIS' : 'UTF-8');

function ColumnRow({ header, trait }: { header: string; trait: string | null }) {
  const own = Object.hasOwn(memberImport.mapping.value, header);
  const current = trait === null ? LEAVE_OUT : trait;
  const custom = trait !== null && trait !== 'member_id' && !KNOWN.includes(trait);
  return (
    <tr>
      <td>{header || '—'}</td>
      <td class="field-cell">
        <Field label={`${header} ${t('imp.trait')}`} hideLabel>
          {(a) => (
            <select
              {...a}
              value={custom ? OTHER : current}
              onChange={(e) => {
                const v = e.currentTarget.value;
                if (v === OTHER) {
                  const key = window.prompt(t('imp.otherKey'), trait ?? '');
                  if (key) memberImport.mapColumn(header, key.trim());
                  return;
                }
                memberImport.mapColumn(header, v === LEAVE_OUT ? null : v);
              }}
            >
              <option value="member_id">{t('imp.memberId')}</option>
              {KNOWN.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
              {custom && <option value={OTHER}>{trait}</option>}
              {!custom && <option value={OTHER}>{t('imp.other')}</option>}
              <option value={LEAVE_OUT}>{t('imp.leaveOut')}</option>
            </select>
          )}
        </Field>
        {own && (
          <button type="button" class="btn btn-small btn-ghost" onClick={() => memberImport.mapColumn(header, undefined)}>
            ↺
          </button>
        )}
      </td>
    </tr>
  );
}

export function ImportPanel() {
  const r = memberImport.report.value;
  const done = memberImport.imported.value;
  return (
    <div class="stack">
      <p class="lead">{t('imp.intro')}</p>
      <div class="card stack">
        <div class="grid-2">
          <Field label={t('imp.file')}>
            {(a) => (
              <input
                {...a}
                type="file"
                name="file"
                accept=".csv,text/csv"
                onChange={(e) => memberImport.chooseFile(e.currentTarget.files?.[0] ?? null)}
              />
            )}
          </Field>
          <Field label={t('imp.encoding')}>
            {(a) => (
              <select
                {...a}
                name="encoding"
                value={memberImport.encoding.value}
                onChange={(e) => {
                  memberImport.encoding.value = e.currentTarget.value as EncodingChoice;
                  memberImport.check();
                }}
              >
                <option value="auto">{t('imp.auto')}</option>
                <option value="utf-8">UTF-8</option>
                <option value="shift_jis">Shift_JIS</option>
              </select>
            )}
          </Field>
        </div>
      </div>
      {memberImport.busy.value === 'checking' && <Loading />}
      {memberImport.failure.value && <ErrorBox message={errorText(memberImport.failure.value)} />}
      {done && (
        <p class="card" role="status" data-testid="import-done">
          {t('imp.done', { created: fmt.number(done.created), updated: fmt.number(done.updated), unchanged: fmt.number(done.unchanged) })}
        </p>
      )}
      {r && (
        <div class="stack" id="import-report">
          <p>
            <Badge tone="info">{t('imp.detected', { encoding: encodingName(r.encoding) })}</Badge>{' '}
            <span data-testid="import-summary">
              {t('imp.summary', {
                rows: fmt.number(r.rows),
                created: fmt.number(r.created),
                updated: fmt.number(r.updated),
                unchanged: fmt.number(r.unchanged),
                skipped: fmt.number(r.skipped),
              })}
            </span>
          </p>
          <h2>{t('imp.columns')}</h2>
          <div class="table-wrap">
            <table class="table" id="import-columns">
              <thead>
                <tr>
                  <th scope="col">{t('imp.header')}</th>
                  <th scope="col">{t('imp.trait')}</th>
                </tr>
              </thead>
              <tbody>
                {r.columns.map((c, i) => (
                  <ColumnRow key={`${i}:${c.header}`} header={c.header} trait={c.trait} />
                ))}
              </tbody>
            </table>
          </div>
          {r.preview.length > 0 && (
            <>
              <h2>{t('imp.preview')}</h2>
              <div class="table-wrap">
                <table class="table" id="import-preview">
                  <thead>
                    <tr>
                      <th scope="col" class="num">
                        {t('imp.row')}
                      </th>
                      <th scope="col">{t('imp.memberId')}</th>
                      {r.columns
                        .filter((c) => c.trait && c.trait !== 'member_id')
                        .map((c) => (
                          <th scope="col" key={c.trait!}>
                            {c.trait}
                          </th>
                        ))}
                      <th scope="col">{t('imp.status')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.preview.map((p) => (
                      <tr key={p.row}>
                        <td class="num">{p.row}</td>
                        <td class="mono">{p.memberId}</td>
                        {r.columns
                          .filter((c) => c.trait && c.trait !== 'member_id')
                          .map((c) => (
                            <td key={c.trait!}>{p.traits[c.trait!] === undefined ? '' : String(p.traits[c.trait!])}</td>
                          ))}
                        <td>
                          <Badge tone={p.status === 'unchanged' ? 'muted' : 'ok'}>{t(`imp.status.${p.status}`)}</Badge>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
          <h2>{t('imp.problems', { n: fmt.number(r.errorCount) })}</h2>
          {r.errorCount === 0 ? (
            <p class="muted">{t('imp.noProblems')}</p>
          ) : (
            <>
              {r.errors.length < r.errorCount && <p class="muted">{t('imp.problemsMore', { shown: r.errors.length, n: r.errorCount })}</p>}
              <div class="table-wrap">
                <table class="table" id="import-errors">
                  <thead>
                    <tr>
                      <th scope="col" class="num">
                        {t('imp.row')}
                      </th>
                      <th scope="col">{t('imp.column')}</th>
                      <th scope="col">{t('imp.message')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.errors.map((e, i) => (
                      <tr key={i}>
                        <td class="num">{e.row}</td>
                        <td>{e.column ?? '—'}</td>
                        <td>{errorWords(e.code)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
          <label>
            <input
              type="checkbox"
              name="skipInvalid"
              checked={memberImport.skipInvalid.value}
              onChange={(e) => {
                memberImport.skipInvalid.value = e.currentTarget.checked;
                memberImport.check();
              }}
            />{' '}
            {t('imp.skipInvalid')}
          </label>
          {!memberImport.importable(r) && <p class="muted">{t('imp.blocked')}</p>}
          <div class="row-actions">
            <button type="button" class="btn" onClick={() => memberImport.check()} disabled={memberImport.busy.value !== 'idle'}>
              {t('imp.check')}
            </button>
            <button
              type="button"
              class="btn btn-primary"
              disabled={!memberImport.importable(r) || memberImport.busy.value !== 'idle'}
              onClick={() => memberImport.runImport()}
            >
              {memberImport.busy.value === 'importing' ? t('imp.running') : t('imp.run')}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
