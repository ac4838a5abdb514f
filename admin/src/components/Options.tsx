/**
 * @module
 * The `<option>` lists several forms offer: every event type by its name (the site's, else the
 * console's), and the segments and slots by name (the key when one has none), in the order the
 * configuration keeps them.
 *
 * @example <select value={d.event} onChange={…}><EventOptions /></select>
 */
import { eventLabel } from '../lib/names';
import { EVENT_TYPES } from '../lib/vocab';
import { segments, slots } from '../models/configModel';

export function EventOptions() {
  return (
    <>
      {EVENT_TYPES.map((type) => (
        <option key={type} value={type}>
          {eventLabel(type)}
        </option>
      ))}
    </>
  );
}

/** Things with a key and an optional name, listed by name (the key when there is none). */
function NamedOptions({ items }: { items: readonly { key: string; name?: string | null }[] }) {
  return (
    <>
      {items.map((s) => (
        <option key={s.key} value={s.key}>
          {s.name || s.key}
        </option>
      ))}
    </>
  );
}

export const SegmentOptions = () => <NamedOptions items={segments.value} />;
export const SlotOptions = () => <NamedOptions items={slots.value} />;
