/**
 * @module
 * Words for starting an experiment with its duration in view, and for telling score tiers and
 * segments apart.
 * English: this part defines the keys (admin/src/i18n/ja/start.ts translates them).
 */
export const start = {
  'estimate.title': 'How long it will take',
  'estimate.days': {
    one: 'About {count} day to a conclusion at the current traffic.',
    other: 'About {count} days to a conclusion at the current traffic.',
  },
  'estimate.done': 'Every pattern already has the visitors it needs.',
  'estimate.none':
    'No traffic has been recorded for this segment yet, so the duration cannot be estimated. Check the results after a few days.',
  'estimate.need':
    'To detect a {uplift} improvement, each pattern needs {required} visitors (conversion rate assumed: {cvr}, {cvrSource}).',
  'estimate.remaining': 'Still needed after the visitors it already has: {remaining}.',
  'estimate.traffic': 'About {perDay} visitors a day: {source}.',
  'estimate.source.slot': 'new visitors of this segment entering experiments on this slot, over the last {window} days',
  'estimate.source.segment': 'new visitors of this segment entering experiments on another slot, over the last {window} days',
  'estimate.source.activity':
    'people of this segment active each day over the last {window} days; not all of them see this slot, so it may take longer',
  'estimate.cvr.experiments': 'from the control of earlier experiments with this goal',
  'estimate.cvr.assumed': 'no earlier result to go by',
  'estimate.long': 'This will not conclude within 4 weeks. Consider fewer patterns, equal shares, or a larger segment.',
  'estimate.confirmStart': 'Start “{name}”? {estimate}',
  'estimate.confirmResume': 'Resume “{name}”? {estimate}',
  'estimate.unknown': 'The duration could not be estimated.',
  'glossary.tierVsSegment':
    'Score tiers (Hot, Warm and Cold tier) follow the score alone. Segments (such as “Hot leads”) are groups defined by conditions on attributes and behaviour; a score tier can be one of those conditions.',
} as const;
