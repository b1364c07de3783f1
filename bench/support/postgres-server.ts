import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { PgCluster } from '../../test/support/pg-cluster';

/**
 * Where a PostgreSQL-only bench makes its databases: on DATABASE_URL's server (scratch databases,
 * dropped at the end) or, when it is unset, on a throwaway cluster of its own.
 */
export interface BenchPostgres {
  /** A fresh database on the server, for one measurement. */
  database(): Promise<string>;
  close(): Promise<void>;
}

export async function benchPostgres(): Promise<BenchPostgres> {
  const given = process.env.DATABASE_URL;
  if (given) {
    const admin = new Pool({ connectionString: given, max: 1 });
    const made: string[] = [];
    return {
      async database() {
        const name = `steady_bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
        await admin.query(`create database ${name}`);
        made.push(name);
        const url = new URL(given);
        url.pathname = `/${name}`;
        return url.toString();
      },
      async close() {
        for (const name of made) await admin.query(`drop database if exists ${name} with (force)`).catch(() => undefined);
        await admin.end();
      },
    };
  }
  const cluster = await PgCluster.create({ settings: { max_connections: 200 } });
  let n = 0;
  return { database: () => cluster.createDatabase(`bench_${++n}`), close: () => cluster.destroy() };
}
