import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { Pool } from 'pg';

/**
 * `npm run bench`: runs each benchmark in a process of its own, on PGlite in memory and, when
 * DATABASE_URL is set, on PostgreSQL in a scratch database created for it and dropped afterwards
 * (nothing is written to the database the URL names). Each prints its figures as ratios to a
 * baseline measured in the same run.
 */
const BENCHES = ['scheduler-throughput', 'escalation', 'standup', 'handoff-on-shift', 'delivery', 'command-path'];
/** Benchmarks that need PostgreSQL (several instances, pg-boss): run once, on DATABASE_URL's server or a cluster of their own. */
const POSTGRES_ONLY = new Set(['delivery', 'command-path']);

function runBench(name: string, databaseUrl: string | undefined): void {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  const on = databaseUrl ? 'PostgreSQL' : POSTGRES_ONLY.has(name) ? 'a PostgreSQL cluster of its own' : 'PGlite';
  console.log(`\n=== ${name} on ${on}`);
  const result = spawnSync(process.execPath, [join(__dirname, `${name}.js`)], { env, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${name} failed with exit code ${result.status}`);
}

async function withScratchDatabase(serverUrl: string, use: (url: string) => void): Promise<void> {
  const pool = new Pool({ connectionString: serverUrl, max: 1 });
  const admin = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
  const name = `steady_bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await sql`create database ${sql.id(name)}`.execute(admin);
  try {
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    use(url.toString());
  } finally {
    await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin);
    await admin.destroy();
  }
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const benches = only.length ? BENCHES.filter((b) => only.includes(b)) : BENCHES;
  for (const name of benches) {
    const server = process.env.DATABASE_URL;
    if (POSTGRES_ONLY.has(name)) {
      runBench(name, server);
      continue;
    }
    runBench(name, undefined);
    if (server) await withScratchDatabase(server, (url) => runBench(name, url));
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
