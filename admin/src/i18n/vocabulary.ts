/**
 * @module
 * Words of the display-names screen.
 */
export const vocabularyEn = {
  'nav.vocabulary': 'Display names',
  'vocab.title': 'Display names',
  'vocab.intro':
    'Give the keys your site sends the names your team uses. Rules, member pages, previews and results show these names; the keys themselves never change.',
  'vocab.traits': 'Member attributes',
  'vocab.traitsHelp':
    'Attributes come from your member data (for example industry or employee count). Add each key your site sends and its known values.',
  'vocab.noTraits': 'No attributes named yet.',
  'vocab.addTrait': 'Add attribute',
  'vocab.events': 'Actions',
  'vocab.props': 'Action details',
  'vocab.propsHelp': 'Details that narrow an action (which page category, which seminar…), and names for their values.',
  'vocab.key': 'Key (sent by the site)',
  'vocab.ja': 'Japanese name',
  'vocab.en': 'English name',
  'vocab.knownValues': 'Known values',
  'vocab.values': 'Values ({count})',
  'vocab.addValue': 'Add value',
  'vocab.keyOf': 'Key of row {n}',
  'vocab.jaOf': 'Japanese name of {key}',
  'vocab.enOf': 'English name of {key}',
  'vocab.valueKey': 'Value of {name}',
  'vocab.valueJa': 'Japanese name of {value}',
  'vocab.valueEn': 'English name of {value}',
  'segments.keyAuto':
    'Made from the name; change it if your site or reports use another. Lowercase letters, digits, "_" or "-"; cannot be changed later.',
} as const;

export type VocabularyKey = keyof typeof vocabularyEn;

export const vocabularyJa: Record<VocabularyKey, string> = {
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
