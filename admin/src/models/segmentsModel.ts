/**
 * @module
 * Segments: reorder, enable/disable, delete, and the editor (a draft with field errors and a
 * live "who matches now" preview), all through the typed API client.
 */
import { signal } from '@preact/signals';
import type { Condition, Segment } from '@worker/schema/config';
import { api, ApiFailure, unwrap } from '../api/client';
import { createForm } from '../lib/form';
import { loadConfig, segments, variants } from './configModel';

export type SegmentDraft = Pick<Segment, 'key' | 'name' | 'description' | 'enabled'> & {
  rule: { match: Segment['rule']['match']; conditions: Condition[] };
};

export const emptyDraft = (): SegmentDraft => ({
  key: '',
  name: '',
  description: '',
  enabled: true,
  rule: { match: 'all', conditions: [] },
});

/** Swaps a segment with its neighbour; returns the new key order (unchanged at the ends). */
export function moved(keys: string[], key: string, by: -1 | 1): string[] {
  const i = keys.indexOf(key);
  const j = i + by;
  if (i < 0 || j < 0 || j >= keys.length) return keys;
  const next = [...keys];
  [next[i], next[j]] = [next[j]!, next[i]!];
  return next;
}

export async function reorderSegments(keys: string[]): Promise<void> {
  await unwrap(api['segment-order'].$put({ json: { keys } }));
  await loadConfig();
}

export async function moveSegment(key: string, by: -1 | 1): Promise<void> {
  const keys = segments.value.map((s) => s.key);
  const next = moved(keys, key, by);
  if (next !== keys) await reorderSegments(next);
}

export async function setSegmentEnabled(segment: Segment, enabled: boolean): Promise<void> {
  const { key: _key, id: _id, priority: _p, ...rest } = segment;
  await unwrap(api.segments[':key'].$put({ param: { key: segment.key }, json: { ...rest, enabled } }));
  await loadConfig();
}

export async function deleteSegment(key: string): Promise<void> {
  await unwrap(api.segments[':key'].$delete({ param: { key } }));
  await loadConfig();
}

export const contentCount = (key: string) => variants.value.filter((v) => v.segment === key).length;

export interface RulePreviewState {
  status: 'idle' | 'loading' | 'ready' | 'invalid' | 'error';
  count: number;
  total: number;
  sample: {
    memberId: string | null;
    visitorId: string | null;
    score: number;
    fit: number;
    tier: 'hot' | 'warm' | 'cold';
    traits: Record<string, string | number | boolean>;
  }[];
}

/**
 * The editor of one segment (new when `existing` is null), with the live count of who matches
 * its rule. The screen decides when to re-count (shortly after the rule stops changing).
 * @example const ed = createSegmentEditor(null); ed.update({...}); await ed.runPreview(); await ed.save();
 */
export function createSegmentEditor(existing: Segment | null) {
  /** Where a new segment goes: before this key, or last (null). */
  const placeBefore = signal<string | null>(null);
  const form = createForm({
    initial: existing
      ? {
          key: existing.key,
          name: existing.name,
          description: existing.description,
          enabled: existing.enabled,
          rule: structuredClone(existing.rule),
        }
      : emptyDraft(),
    submit: async (d: SegmentDraft): Promise<Segment> => {
      const saved = existing
        ? await unwrap(
            api.segments[':key'].$put({
              param: { key: existing.key },
              json: { name: d.name, description: d.description, enabled: d.enabled, rule: d.rule },
            }),
          )
        : await unwrap(api.segments.$post({ json: d }));
      if (!existing && placeBefore.value) {
        // Created last; moved into place with the same reorder the list uses.
        const keys = segments.value.map((s) => s.key).filter((k) => k !== d.key);
        const at = keys.indexOf(placeBefore.value);
        if (at >= 0) await reorderSegments([...keys.slice(0, at), d.key, ...keys.slice(at)]);
      }
      await loadConfig();
      return saved as Segment;
    },
  });
  const preview = signal<RulePreviewState>({ status: 'idle', count: 0, total: 0, sample: [] });
  let seq = 0;
  return {
    ...form,
    preview,
    placeBefore,
    isNew: existing === null,
    /** Counts who matches the rule being edited; only the latest count is shown. */
    async runPreview(): Promise<void> {
      const mine = ++seq;
      preview.value = { ...preview.value, status: 'loading' };
      try {
        const body = await unwrap(api.segments.preview.$post({ json: { rule: form.draft.value.rule } }));
        if (mine === seq) preview.value = { status: 'ready', ...body };
      } catch (err) {
        if (mine !== seq) return;
        const invalid = err instanceof ApiFailure && err.status === 400;
        preview.value = { status: invalid ? 'invalid' : 'error', count: 0, total: 0, sample: [] };
      }
    },
  };
}
export type SegmentEditor = ReturnType<typeof createSegmentEditor>;
