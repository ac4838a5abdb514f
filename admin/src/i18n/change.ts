/**
 * @module
 * Words of the conditions that see change: trends, exclusions ("none of"), fit points, the
 * site's time zone, segment history and propensity models.
 */
export const changeEn = {
  'segments.matchNone': 'none of the conditions (exclude)',
  'cond.trend': 'Trend (this period vs the one before)',
  'cond.trendDays': 'Period (days)',
  'cond.trendDaysHelp': 'Compares the last N days with the N days before them',
  'cond.trendPercent': 'Percent of before',
  'cond.trendPercentHelp': '50 = half of the earlier period',
  'cond.minPrevious': 'At least (times) before',
  'cond.minPreviousHelp': 'People with less activity in the earlier period are not judged',
  'cond.fit': 'Fit (attribute points)',
  'cond.fitHelp': 'The sum of the fit points their attributes earn',
  'fit.title': 'Fit points (attributes)',
  'fit.intro': 'Points for who someone is, not what they did: they do not decay, and tiers stay on the behaviour score.',
  'fit.trait': 'Attribute',
  'fit.add': 'Add fit rule',
  'fit.label': 'Fit',
  'fit.reasons': 'From: {list}',
  'fit.noReasons': 'No fit rule applies',
  'fit.simFit': 'Fit',
  'nav.site': 'Site settings',
  'site.title': 'Site settings',
  'site.intro': "The site's day follows its time zone: daily caps, \"within N days\", trends, results by day and segment history all count days on the site's clock.",
  'site.timeZone': 'Time zone',
  'site.timeZoneHelp': 'An IANA time zone, e.g. Asia/Tokyo for a Japanese site',
  'site.clock': "The site's clock now: {time}",
  'site.changeNote': 'Experiment days are re-dated to the new zone when you save. History recorded before the change keeps its old day boundaries (at most a few hours off).',
} as const;

export type ChangeKey = keyof typeof changeEn;

export const changeJa: Record<ChangeKey, string> = {
  'segments.matchNone': 'いずれの条件も満たさない（除外）',
  'cond.trend': '増減（直近と前の期間の比較）',
  'cond.trendDays': '期間（日）',
  'cond.trendDaysHelp': '直近N日と、その前のN日を比べます',
  'cond.trendPercent': '前の期間に対する割合（%）',
  'cond.trendPercentHelp': '50 ＝ 前の期間の半分',
  'cond.minPrevious': '前の期間の最低回数',
  'cond.minPreviousHelp': '前の期間の活動がこれ未満の人は判定しません',
  'cond.fit': '属性スコア',
  'cond.fitHelp': '属性で得た点数の合計',
  'fit.title': '属性スコア',
  'fit.intro': '行動ではなく属性（業種・役職など）に付ける点数です。減衰せず、ランクは行動スコアで決まります。',
  'fit.trait': '属性',
  'fit.add': '属性ルールを追加',
  'fit.label': '属性スコア',
  'fit.reasons': '内訳：{list}',
  'fit.noReasons': '該当する属性ルールはありません',
  'fit.simFit': '属性スコア',
  'nav.site': 'サイト設定',
  'site.title': 'サイト設定',
  'site.intro': 'サイトの「1日」はこのタイムゾーンで数えます。1日の上限、「N日以内」、増減、日別の結果、セグメントの推移はすべてサイトの時計の日付に従います。',
  'site.timeZone': 'タイムゾーン',
  'site.timeZoneHelp': 'IANA のタイムゾーン名（日本のサイトなら Asia/Tokyo）',
  'site.clock': 'サイトの現在時刻：{time}',
  'site.changeNote': '保存すると、実験の日付は新しいタイムゾーンで数え直されます。変更前に記録された行動履歴の日の区切りは以前のままです（最大で数時間のずれ）。',
};
