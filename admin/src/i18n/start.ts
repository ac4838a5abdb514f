/**
 * @module
 * Words for starting an experiment with its duration in view, and for telling score tiers and
 * segments apart.
 */
export const startEn = {
  'estimate.title': 'How long it will take',
  'estimate.days': 'About {days} days to a conclusion at the current traffic.',
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

export type StartKey = keyof typeof startEn;

export const startJa: Record<StartKey, string> = {
  'estimate.title': '期間の見込み',
  'estimate.days': '現在のトラフィックでは、結論が出るまで約 {days} 日かかる見込みです。',
  'estimate.done': 'すべてのパターンで必要な人数に達しています。',
  'estimate.none': 'このセグメントにはまだトラフィックの記録がないため、期間を見積もれません。数日後に結果画面で確認してください。',
  'estimate.need': '{uplift} の改善を見つけるには、各パターンに {required} 人が必要です（コンバージョン率 {cvr} を想定、{cvrSource}）。',
  'estimate.remaining': 'これまでの参加者を差し引くと、残りは {remaining} です。',
  'estimate.traffic': '1日あたり約 {perDay} 人（{source}）。',
  'estimate.source.slot': '直近 {window} 日に、このスロットの実験に新たに加わったこのセグメントの人数',
  'estimate.source.segment': '直近 {window} 日に、別のスロットの実験に新たに加わったこのセグメントの人数',
  'estimate.source.activity':
    '直近 {window} 日にこのセグメントで活動した人数。このスロットを見ない人も含むため、実際はもっと長くかかる場合があります',
  'estimate.cvr.experiments': '同じゴールの過去の実験のコントロールの実績',
  'estimate.cvr.assumed': '参考にできる実績がないための仮定',
  'estimate.long':
    '4週間以内に結論が出ない見込みです。パターンを減らす、配分を均等にする、より大きなセグメントで試す、などをご検討ください。',
  'estimate.confirmStart': '「{name}」を開始しますか？{estimate}',
  'estimate.confirmResume': '「{name}」を再開しますか？{estimate}',
  'estimate.unknown': '期間を見積もれませんでした。',
  'glossary.tierVsSegment':
    'スコアランク（ホットランク・ウォームランク・コールドランク）は点数だけで決まる段階です。セグメント（例：ホットリード）は属性や行動の条件で決まるグループで、スコアランクを条件の一つに使うこともできます。',
};
