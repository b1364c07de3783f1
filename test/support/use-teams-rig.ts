import { openTestDatabase, type TestDatabase } from './database';
import { TeamsRig, type TeamsRigOptions } from './teams-rig';

export interface UseTeamsRigOptions extends Omit<TeamsRigOptions, 'database'> {
  /** The database to start on; a migrated one of the file's own (openTestDatabase) when absent. */
  readonly openDatabase?: () => Promise<TestDatabase>;
  /** How long beforeAll may take, when opening the database takes longer than jest's default. */
  readonly timeout?: number;
}

/** What useTeamsRig started, for tests and for the hooks declared after it. */
export interface TeamsRigInUse {
  readonly rig: TeamsRig;
  readonly database: TestDatabase;
  /** Has afterAll close this (a server or a rig a file started on top) before the rig and the database. */
  closeFirst(close: () => Promise<void>): void;
}

/**
 * A Teams rig on a database of its own for the tests of a file (or of the describe block it is called
 * in): started in beforeAll with a fake connector of its own (unless `connector` gives one, which its
 * giver stops), closed with both in afterAll. Read `rig` and `database` in tests and later hooks, not
 * when the file loads: they exist once beforeAll has run.
 */
export function useTeamsRig(options: UseTeamsRigOptions = {}): TeamsRigInUse {
  const { openDatabase = openTestDatabase, timeout, ...rigOptions } = options;
  const closings: (() => Promise<void>)[] = [];
  let database: TestDatabase | undefined;
  let rig: TeamsRig | undefined;
  beforeAll(async () => {
    database = await openDatabase();
    // The rig starts the connector when none is given, and stops it with itself; the database stays ours.
    rig = await TeamsRig.start({ ...rigOptions, database });
  }, timeout);
  afterAll(async () => {
    for (const close of closings) await close();
    await rig?.stop();
    await database?.close();
  });
  return {
    get rig() {
      return rig ?? notStarted();
    },
    get database() {
      return database ?? notStarted();
    },
    closeFirst(close) {
      closings.push(close);
    },
  };
}

function notStarted(): never {
  throw new Error('the Teams rig starts in beforeAll: use it in a test, or in a hook declared after useTeamsRig');
}
