import { Client } from 'pg';
import { bareClaimLoop, pgBoss } from '../../bench/queue-baselines';
import { PgCluster, pgClusterAvailable } from '../support/pg-cluster';

// Several workers on several connections: a real server, never PGlite. A throwaway one, so that
// the baselines' tables and schema cannot touch a database the tests share.
const describeWithServer = pgClusterAvailable() ? describe : describe.skip;

describeWithServer('the queue baselines the delivery engine is measured against', () => {
  let cluster: PgCluster;
  beforeAll(async () => {
    cluster = await PgCluster.create();
  });
  afterAll(() => cluster?.destroy());

  async function leftovers(): Promise<string[]> {
    const client = new Client({ connectionString: cluster.url });
    await client.connect();
    const { rows } = await client.query<{ name: string }>(
      `select table_schema || '.' || table_name as name from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema')`,
    );
    await client.end();
    return rows.map((r) => r.name);
  }

  test('the bare SKIP LOCKED loop completes every job with three workers and cleans up', async () => {
    const result = await bareClaimLoop(cluster.url, { jobs: 1_000, workers: 3 });
    expect(result).toMatchObject({ name: 'bare FOR UPDATE SKIP LOCKED loop', jobs: 1_000, workers: 3, batchSize: 100 });
    expect(result.jobsPerSecond).toBeGreaterThan(0);
    expect(await leftovers()).toEqual([]);
  });

  test('pg-boss completes every job with three batching workers and cleans up', async () => {
    const result = await pgBoss(cluster.url, { jobs: 1_000, workers: 3 });
    expect(result).toMatchObject({ name: 'pg-boss 10 (draining)', jobs: 1_000, workers: 3, batchSize: 100 });
    expect(result.jobsPerSecond).toBeGreaterThan(0);
    expect(await leftovers()).toEqual([]);
  });
});
