/**
 * @module
 * Words of the display-names screen.
 * English: this part defines the keys (admin/src/i18n/ja/vocabulary.ts translates them).
 */
export const vocabulary = {
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
