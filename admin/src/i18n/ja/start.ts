/**
 * @module
 * Words for starting an experiment with its duration in view, and for telling score tiers and
 * segments apart.
 * Japanese, written for Japanese B2B marketers first (natural UI Japanese, not a translation).
 */
import type { start as en } from '../en/start';
import type { Translation } from '../types';

export const start: Translation<typeof en> = {
  'estimate.title': '期間の見込み',
  'estimate.days': '現在のトラフィックでは、結論が出るまで約 {count} 日かかる見込みです。',
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
