/**
 * @module
 * `GET|PUT /api/vocabulary`: display names for event types, props and their values, traits and
 * their known values. PUT replaces the site's names (base names for the fixed event types and
 * props stay underneath).
 */
import { Hono } from 'hono';
import type { App } from '../../app-types';
import { Vocabulary } from '../../schema/vocabulary';
import { loadVocabulary, saveVocabulary } from '../../services/admin/vocabulary';
import { zjson } from './validate';

export const vocabularyRoutes = new Hono<App>()
  .get('/', async (c) => c.json(await loadVocabulary(c.var.svc), 200))
  .put('/', zjson(Vocabulary), async (c) => c.json(await saveVocabulary(c.var.svc, c, c.req.valid('json')), 200));
