/**
 * @module
 * Words of the display-names screen.
 * Japanese, written for Japanese B2B marketers first (natural UI Japanese, not a translation).
 */
import type { vocabulary as en } from '../en/vocabulary';
import type { Translation } from '../types';

export const vocabulary: Translation<typeof en> = {
  'nav.vocabulary': '表示名',
  'vocab.title': '表示名',
  'vocab.intro':
    'サイトから送られるキーに、チームで使っている呼び名を付けます。条件、会員ページ、プレビュー、結果にはこの名前が表示されます。キー自体は変わりません。',
  'vocab.traits': '会員の属性',
  'vocab.traitsHelp': '属性は会員データから届きます（業種、従業員数など）。サイトが送るキーと、よく使う値の名前を登録してください。',
  'vocab.noTraits': 'まだ属性の名前がありません。',
  'vocab.addTrait': '属性を追加',
  'vocab.events': '行動',
  'vocab.props': '行動の詳細',
  'vocab.propsHelp': '行動を絞り込む詳細（どのページカテゴリか、どのセミナーか など）と、その値の名前です。',
  'vocab.key': 'キー（サイトから送信）',
  'vocab.ja': '日本語名',
  'vocab.en': '英語名',
  'vocab.knownValues': 'よく使う値',
  'vocab.values': '値（{count}件）',
  'vocab.addValue': '値を追加',
  'vocab.keyOf': '{n}行目のキー',
  'vocab.jaOf': '{key} の日本語名',
  'vocab.enOf': '{key} の英語名',
  'vocab.valueKey': '{name} の値',
  'vocab.valueJa': '{value} の日本語名',
  'vocab.valueEn': '{value} の英語名',
  'segments.keyAuto':
    '名前から自動で付けます。サイトやレポートで別のキーを使う場合は変更してください（半角英小文字・数字・「_」「-」。あとから変更できません）。',
};
