import { schedulerThroughput } from './scheduler-throughput';

/**
 * `npm run bench`: prints each benchmark's figures as ratios to a baseline measured in the same run.
 * Runs on PGlite in memory, and also on PostgreSQL when DATABASE_URL is set.
 */
async function main(): Promise<void> {
  const targets = [{ engine: 'pglite' as const, dataDir: null }, ...(process.env.DATABASE_URL ? [{ engine: 'postgres' as const, url: process.env.DATABASE_URL }] : [])];
  for (const target of targets) {
    console.log(JSON.stringify(await schedulerThroughput(target), null, 2));
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
