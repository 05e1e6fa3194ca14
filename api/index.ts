/** The REST API: `createApp` builds it; `main.ts` is the process that serves it. */
export { createApp } from './app';
export type { AppDeps } from './app';
export { buildOpenApi } from './openapi';
