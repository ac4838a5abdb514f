/**
 * @module
 * Attribute quality: per trait, how many members have it, and the segments that depend on a
 * trait most members lack.
 */
import type { TraitQuality } from '@worker/services/admin/trait-quality';
import { api, unwrap } from '../api/client';
import { createLoader } from '../lib/loader';

const loader = createLoader((): Promise<TraitQuality> => unwrap(api.traits.quality.$get()));

export const traitQuality = loader.state;
export const loadQuality = () => loader.load();
