import { DOCS_PATH, OPENAPI_PATH } from '../docs/page';

/** The main endpoints by name, as GET / lists them (its example shows the same object). */
export const SERVICE_LINKS = {
  self: '/',
  livez: '/livez',
  health: '/health',
  readyz: '/readyz',
  tools: '/tools',
  execute: '/tools/{name}/execute',
  jobs: '/jobs',
  events: '/events',
  config: '/config',
  openapi: OPENAPI_PATH,
  docs: DOCS_PATH,
} as const;
