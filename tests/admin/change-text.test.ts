/**
 * The change log in the marketer's words (admin/src/lib/changeText.ts): actors, what an entry is
 * about, the fields it changed (names, not keys), what "undo" will do, and why a restore was
 * refused — in Japanese and English, with every refusal code the worker can send worded.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiFailure } from '../../admin/src/api/client';
import { en, ja } from '../../admin/src/i18n/all';
import {
  actorLabel,
  changedFieldNames,
  confirmText,
  editorPath,
  entityTitle,
  noUndoText,
  restoreProblemText,
  simpleDiffs,
  undoLabel,
} from '../../admin/src/lib/changeText';
import { lang } from '../../admin/src/i18n/catalogue';
import type { Change } from '../../worker/schema/changes';

afterEach(() => {
  lang.value = 'en';
});

const change = (over: Partial<Change>): Change => ({
  id: 'chg_1',
  at: '2026-12-01T01:00:00.000Z',
  actor: 'admin-token',
  entity: 'segment',
  entityId: 'hot_lead',
  action: 'update',
  before: { key: 'hot_lead', name: 'ホットリード', enabled: true, rule: { match: 'all', conditions: [] }, priority: 10 },
  after: { key: 'hot_lead', name: '商談見込み', enabled: false, rule: { match: 'any', conditions: [] }, priority: 10 },
  restoredFrom: null,
  ...over,
});

/** Latin letters outside a quoted name: the sentence itself is not Japanese. */
const latinOutsideNames = (text: string) => /[A-Za-z]/.test(text.replace(/「[^」]*」/g, ''));

describe('who, what and which fields', () => {
  it.each([
    ['admin-token', '管理トークン', 'Admin token'],
    ['service-token:ci-bot', 'サービストークン（ci-bot）', 'Service token (ci-bot)'],
    ['tanaka@example.co.jp', 'tanaka@example.co.jp', 'tanaka@example.co.jp'],
  ])('actor %s', (actor, jaText, enText) => {
    lang.value = 'ja';
    expect(actorLabel(actor)).toBe(jaText);
    lang.value = 'en';
    expect(actorLabel(actor)).toBe(enText);
  });

  it('names the entity by the name it had (the name before a deletion), or by its kind', () => {
    lang.value = 'ja';
    expect(entityTitle(change({}))).toBe('セグメント「商談見込み」');
    expect(entityTitle(change({ action: 'delete', after: null }))).toBe('セグメント「ホットリード」');
    expect(entityTitle(change({ entity: 'scoring', before: { rules: [] }, after: { rules: [1] } }))).toBe('スコアリング');
    lang.value = 'en';
    expect(entityTitle(change({ entity: 'experiment', after: { name: 'Case test' } }))).toBe('Experiment “Case test”');
  });

  it('lists changed fields by name, leaving out timestamps; simple values before → after', () => {
    lang.value = 'ja';
    expect(changedFieldNames(change({}))).toEqual(['名前', '有効・無効', '条件']);
    expect(simpleDiffs(change({}))).toEqual([
      { field: '名前', before: 'ホットリード', after: '商談見込み' },
      { field: '有効・無効', before: '有効', after: '無効' },
    ]);
    const started = change({
      entity: 'experiment',
      before: { status: 'draft', startedAt: null },
      after: { status: 'running', startedAt: '2026-12-01' },
    });
    expect(changedFieldNames(started)).toEqual(['状態']);
    expect(simpleDiffs(started)).toEqual([{ field: '状態', before: '下書き', after: '実施中' }]);
    expect(changedFieldNames(change({ after: { ...(change({}).before as object), mystery: 1 } }))).toEqual(['その他の設定']);
    expect(changedFieldNames(change({ action: 'create', before: null }))).toEqual([]);
  });

  it('links each entity to its editor', () => {
    expect(editorPath(change({}))).toBe('/admin/segments/hot_lead');
    expect(editorPath(change({ entity: 'variant', entityId: 'v1', after: { slot: 'hero', segment: 'hot_lead' } }))).toBe(
      '/admin/content/hero/hot_lead',
    );
    expect(editorPath(change({ entity: 'segment_order', entityId: 'order' }))).toBe('/admin/segments');
    expect(editorPath(change({ entity: 'alert', entityId: 'alt_1' }))).toBe('/admin/alerts/alt_1');
  });
});

describe('undo', () => {
  it('says what undoing does, and asks in the reader’s language', () => {
    lang.value = 'ja';
    expect(undoLabel(change({ before: null }))).toBe('作成を取り消す');
    expect(undoLabel(change({ after: null }))).toBe('元に戻す');
    expect(undoLabel(change({}))).toBe('変更前に戻す');
    expect(undoLabel(change({ action: 'restore' }))).toBe('この取り消しを取り消す');
    const deleted = change({ action: 'delete', after: null, before: { name: 'ホットリード', variants: [{ id: 'v' }] } });
    expect(confirmText(deleted)).toBe('削除されたセグメント「ホットリード」をコンテンツとともに削除前の状態で元に戻しますか？');
    expect(confirmText(change({}), true)).toContain('保存していない編集内容は置き換えられます');
    for (const c of [deleted, change({}), change({ before: null })])
      expect(latinOutsideNames(confirmText(c, true)), confirmText(c)).toBe(false);
  });

  it.each([
    ['restore_missing', { entity: 'variant', id: 'v_x' }, 'この版で表示するコンテンツは、その後削除されています。'],
    ['restore_missing', { entity: 'segment', id: 's' }, 'この版に必要なセグメントは、その後削除されています。'],
    ['restore_missing', { entity: 'slot', id: 'x' }, 'この版に必要なスロットは、その後削除されています。'],
    ['restore_order', {}, 'セグメントが追加または削除されています'],
    ['restore_unchanged', {}, 'すでに現在の内容と同じ'],
    ['restore_invalid', { reason: 'url_not_allowed' }, '通知先のアドレス'],
    ['not_editable', { status: 'running' }, '一時停止してください'],
    ['transition', { from: 'stopped', to: 'running' }, '実験を「終了」から「実施中」に戻すことはできません。'],
    ['in_use', { entity: 'segment', experiments: ['exp_a'] }, '実験（exp_a）で使われています'],
    ['already_running', { experiment: 'exp_a', name: '事例テスト' }, '「事例テスト」が実施中です'],
    ['not_deletable', { status: 'running' }, '実施中の実験は削除できません'],
    ['access_denied', { reason: 'expired' }, 'Cloudflare Access で本人確認ができませんでした'],
  ])('refusal %s is worded', (code, params, jaPart) => {
    const err = new ApiFailure(409, code, 'English for API users', [], params);
    lang.value = 'ja';
    const text = restoreProblemText(err);
    expect(text).toContain(jaPart);
    expect(text).not.toContain('English');
    lang.value = 'en';
    expect(restoreProblemText(err)).not.toBe('Something went wrong');
  });
});

describe('every restore refusal the worker can send has words', () => {
  const source = ['worker/core/change-restore.ts', 'worker/services/admin/change-restore.ts', 'worker/middleware/access.ts']
    .map((f) => readFileSync(path.resolve(import.meta.dirname, '../..', f), 'utf8'))
    .join('\n');
  const codes = [...new Set([...source.matchAll(/(?:refuse\(\s*|new ApiError\(\s*\d{3},\s*)'([a-z_]+)'/g)].map((m) => m[1]!))];

  it('found them (the scan works)', () => {
    expect(codes).toEqual(
      expect.arrayContaining(['restore_missing', 'restore_order', 'restore_unchanged', 'in_use', 'not_editable', 'access_denied']),
    );
  });

  it('each has a banner sentence in both languages', () => {
    for (const code of codes) {
      expect(`problem.${code}` in en, code).toBe(true);
      expect((ja as Record<string, string>)[`problem.${code}`], code).toBeTruthy();
    }
  });
});

describe('site settings, models and signing secrets', () => {
  it('words a secret rotation without a secret, with no undo, and links to the alert', () => {
    lang.value = 'ja';
    const rotation = change({
      entity: 'alert_secret',
      entityId: 'alt_1',
      before: { name: 'ホット通知', secret: 'earlier' },
      after: { name: 'ホット通知', secret: 'rotated' },
    });
    expect(entityTitle(rotation)).toBe('営業アラートの署名シークレット「ホット通知」');
    expect(simpleDiffs(rotation)).toEqual([{ field: '署名シークレット', before: '以前のもの', after: '新しいもの（表示しません）' }]);
    expect(noUndoText(rotation)).toContain('取り消せません');
    expect(editorPath(rotation)).toBe('/admin/alerts/alt_1');
    expect(noUndoText(change({}))).toBeNull();
  });

  it('names the site settings fields and their simple values', () => {
    lang.value = 'ja';
    const site = change({
      entity: 'site',
      entityId: 'site',
      before: { timeZone: 'UTC', previewStylesheet: null },
      after: { timeZone: 'Asia/Tokyo', previewStylesheet: 'https://www.example.co.jp/a.css' },
    });
    expect(entityTitle(site)).toBe('サイト設定');
    expect(changedFieldNames(site)).toEqual(['タイムゾーン', 'プレビュー用スタイルシート']);
    expect(simpleDiffs(site)).toContainEqual({ field: 'タイムゾーン', before: 'UTC', after: 'Asia/Tokyo' });
    expect(simpleDiffs(site)).toContainEqual({
      field: 'プレビュー用スタイルシート',
      before: '—',
      after: 'https://www.example.co.jp/a.css',
    });
    expect(editorPath(site)).toBe('/admin/settings');
  });

  it('says which segments keep a model from being deleted', () => {
    lang.value = 'ja';
    const err = new ApiFailure(409, 'in_use', 'Segments test this model', undefined, { entity: 'model', segments: ['likely', 'hot'] });
    expect(restoreProblemText(err)).toBe(
      'この予測モデルはセグメント（likely、hot）の条件で使われています。先にそのセグメントを変更または削除してください。',
    );
    expect(editorPath(change({ entity: 'model', entityId: 'inq', after: { name: '問い合わせ見込み' } }))).toBe('/admin/models');
  });
});
