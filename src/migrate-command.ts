import { existsSync } from 'node:fs';
import { PLATFORMS } from '../adapters';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { connectDatabase } from './storage/database';
import { migrateToLatest, migrationsOf } from './storage/migrate';

/**
 * `npm run migrate`: applies pending migrations (the core's and every platform's, from the list in
 * adapters/index.ts, as main.ts) to the configured database and exits.
 */
async function migrate(): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config;
  try {
    config = loadConfig(process.env, PLATFORMS);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const log = createLogger({ level: config.env.LOG_LEVEL ?? 'info', secretKeys: PLATFORMS.flatMap((p) => p.secrets) });
  const connection = await connectDatabase(config.database);
  try {
    const applied = await migrateToLatest(connection.db, migrationsOf(PLATFORMS), log);
    process.stdout.write(
      applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}\n` : 'The database is up to date.\n',
    );
    return 0;
  } finally {
    await connection.close();
  }
}

migrate().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`Migration failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
