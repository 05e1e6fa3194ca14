/** The database: one `pg` code path to PostgreSQL or to the embedded PGlite server, migrations, demo seed. */
export { createDatabase } from './database';
export type { CreateDatabaseOptions, Database, Queryable } from './database';
export { startEmbeddedDatabase } from './embedded';
export type { EmbeddedDatabase, EmbeddedDatabaseOptions } from './embedded';
export { migrate, readMigrations, MIGRATIONS_DIR } from './migrate';
export type { Migration } from './migrate';
export { CORPORATE_SUFFIXES, normalizeName } from './names';
export { seed } from './seed';
export { SEED_CLIENTS } from './seed-data';
export { SEED_PATIENTS, type SeedPatient } from './seed-ehr';
export type { SeedCounts } from './seed';
export { databaseUrl, embeddedDatabaseUrl } from './url';
export { openConfiguredDatabase } from './open';
