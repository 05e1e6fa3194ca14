/**
 * The scale test's PostgreSQL: the server DOCKET_TEST_POSTGRES_URL names (as `.ci/run` exports it), or a
 * throwaway cluster started with scripts/postgres-local.sh; in it a database of this run's own.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDatabase } from '../../db';
import { ROOT } from './processes';

export interface ScaleDatabase {
  /** Connection string of the fresh database. */
  url: string;
  name: string;
  /** True when DOCKET_TEST_POSTGRES_URL named the server: only then can a kept database be looked at later. */
  external: boolean;
  /** Drops the database (`keep`: leaves it for a look after a failure) and stops a cluster started here. */
  close(options: { keep: boolean }): Promise<void>;
}

const SCRIPT = path.join(ROOT, 'scripts', 'postgres-local.sh');
const noCluster = () => {};

export async function openScaleDatabase(serverUrl: string | undefined): Promise<ScaleDatabase> {
  let stopCluster = noCluster;
  if (!serverUrl) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'docket-scale-pg-'));
    serverUrl = execFileSync('bash', [SCRIPT, 'start', dir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }).trim();
    stopCluster = () => execFileSync('bash', [SCRIPT, 'stop', dir], { stdio: 'inherit' });
  }
  const name = `docket_scale_${Date.now()}_${process.pid}`;
  const server = await createDatabase({ url: serverUrl, max: 1 });
  try {
    await server.query(`CREATE DATABASE ${name}`);
  } finally {
    await server.close();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    external: stopCluster === noCluster,
    async close({ keep }) {
      if (!keep) {
        const admin = await createDatabase({ url: serverUrl, max: 1 });
        try {
          await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        } finally {
          await admin.close();
        }
      }
      stopCluster();
    },
  };
}
