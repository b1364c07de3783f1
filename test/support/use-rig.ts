import { openTestDatabase, type TestDatabase } from './database';

export interface UseRigOptions {
  /** The database to start on; a migrated one of the file's own (openTestDatabase) when absent. */
  readonly openDatabase?: () => Promise<TestDatabase>;
  /** How long beforeAll may take, when opening the database takes longer than jest's default. */
  readonly timeout?: number;
}

/** What a rig helper started, for tests and for the hooks declared after it. */
export interface RigInUse<Rig> {
  readonly rig: Rig;
  readonly database: TestDatabase;
  /** Has afterAll close this (a server or a rig a file started on top) before the rig and the database. */
  closeFirst(close: () => Promise<void>): void;
}

/**
 * A rig on a database of its own for the tests of a file (or of the describe block it is called in):
 * started in beforeAll, closed in afterAll after what was given to `closeFirst`, then its database.
 * `rig` and `database` exist once beforeAll has run: read them in tests and later hooks, not when the
 * file loads. `useSlackRig` and `useTeamsRig` are this with their platform's rig.
 */
export function useRig<Rig>(
  what: string,
  start: (database: TestDatabase) => Promise<Rig>,
  stop: (rig: Rig) => Promise<void>,
  options: UseRigOptions = {},
): RigInUse<Rig> {
  const { openDatabase = openTestDatabase, timeout } = options;
  const closings: (() => Promise<void>)[] = [];
  let database: TestDatabase | undefined;
  let rig: Rig | undefined;
  beforeAll(async () => {
    database = await openDatabase();
    rig = await start(database);
  }, timeout);
  afterAll(async () => {
    for (const close of closings) await close();
    if (rig !== undefined) await stop(rig);
    await database?.close();
  });
  const notStarted = (): never => {
    throw new Error(`the ${what} starts in beforeAll: use it in a test, or in a hook declared after it`);
  };
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
