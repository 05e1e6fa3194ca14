import type { DocketConfig } from '../config';

/**
 * Connection string for the embedded server. PGlite accepts any credentials; pg needs some to send.
 * A wildcard bind address is not something a client can dial, so it becomes loopback.
 */
export function embeddedDatabaseUrl(host: string, port: number): string {
  const dialable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const hostPart = dialable.includes(':') ? `[${dialable}]` : dialable;
  return `postgres://postgres:postgres@${hostPart}:${port}/postgres`;
}

/**
 * Where a process that did not start the embedded server finds the database: `database.url` when set
 * (PostgreSQL), else the embedded server that `npm start` runs on `database.embeddedPort`.
 */
export function databaseUrl(config: Pick<DocketConfig, 'database'>): string {
  return config.database.url ?? embeddedDatabaseUrl('127.0.0.1', config.database.embeddedPort);
}
