/**
 * @module
 * An arm's verdict against control: a coloured label with a shape (so it does not rest on
 * colour alone) and the API's own sentence in the console's language.
 */
import type { VerdictKind } from '@worker/core/stats';
import { lang } from '../i18n/catalogue';
import { verdictIcon, verdictTone } from '../models/resultsModel';

export interface VerdictBadgeProps {
  verdict: VerdictKind;
  message: { ja: string; en: string } | null;
}

export function VerdictBadge({ verdict, message }: VerdictBadgeProps) {
  return (
    <span class={`verdict verdict-${verdictTone[verdict]}`} data-verdict={verdict}>
      <span aria-hidden="true" class="verdict-icon">
        {verdictIcon[verdict]}
      </span>
      {message?.[lang.value] ?? verdict}
    </span>
  );
}
