/**
 * @module
 * Words of the editors themselves: the unsaved-changes guard and the checks a form makes while
 * the marketer types (before anything is sent).
 * Japanese, written for Japanese B2B marketers first (natural UI Japanese, not a translation).
 */
import type { editing as en } from '../en/editing';
import type { Translation } from '../types';

export const editing: Translation<typeof en> = {
  'guard.message': '保存していない変更があります。変更を破棄してこのページを離れますか？',
  'guard.discard': '変更を破棄',
  'guard.unsaved': '未保存の変更があります',
  'form.noConditions':
    'このセグメントには条件がないため、すべての訪問者が該当します。条件を追加するか、意図どおりであればこのまま保存してください。',
  'form.saveAnyway': 'このまま保存',
  'form.placement': '優先順位',
  'form.placementHelp': '訪問者は上から順に判定され、最初に当てはまったセグメントになります。',
  'form.placeLast': '最後（「{name}」の後）',
  'form.placeBefore': '「{name}」の前',
  'form.placeNote': 'このセグメントは {total} 件中 {n} 番目になります。',
  'form.nameRequired': 'あとで見つけられるよう、実験に名前を付けてください。',
  'form.weightsSum': '配分の合計: {sum}%',
  'form.weightsMust': '配分の合計を 100% にしてください（現在 {sum}%）。',
  'form.chars': '{count} / {max} 文字',
  'form.charsOver': '{count} / {max} 文字（長すぎるため保存できません）',
  'form.htmlScript': 'スクリプト（<script>）は保存時に取り除かれます。スロット内では実行されません。',
  'form.htmlHandler':
    '{name} のようなイベント属性は保存時に取り除かれます。資料のダウンロードを計測するには、代わりにリンクへ data-dw-download="種類" を付けてください（スコアリングでは資料ダウンロードとして数えます）。',
  'form.htmlJsUrl': '「javascript:」で始まるリンクは保存時に取り除かれます。',
  'form.newExperiment': 'このコンテンツで実験を作成',
  'form.deleteDraft': '実験を削除',
  'form.deleted': '実験を削除しました',
  'form.confirmDelete': '実験「{name}」を削除しますか？元に戻せません。',
  'content.status.running': '実験中: {name}',
  'content.status.paused': '一時停止中: {name}',
  'content.status.draft': '下書き: {name}',
  'content.status.stopped': '終了: {name}',
  'preview.autoArm': '実際の訪問者と同じく自動で振り分け',
};
