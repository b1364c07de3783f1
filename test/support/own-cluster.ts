import { MIGRATIONS } from '../../adapters';
import { connectDatabase } from '../../src/storage/database';
import { migrateToLatest } from '../../src/storage/migrate';
import { silentLog, type TestDatabase } from './database';
import { PgCluster } from './pg-cluster';

/**
 * A migrated database on a PostgreSQL cluster of a test's own, for a rig's `openDatabase`: the test
 * stops and starts `cluster` to make an outage, and destroys it when done.
 */
export class OwnClusterDatabase {
  private made?: PgCluster;

  get cluster(): PgCluster {
    if (!this.made) throw new Error('the cluster is made when the database is opened');
    return this.made;
  }

  readonly open = async (): Promise<TestDatabase> => {
    this.made = await PgCluster.create();
    const connection = await connectDatabase({ engine: 'postgres', url: this.made.url });
    await migrateToLatest(connection.db, MIGRATIONS, silentLog);
    return connection;
  };

  async destroy(): Promise<void> {
    await this.made?.destroy();
  }
}
