import { openTestDatabase, type TestDatabase } from './database';
import { SlackRig, type SlackRigOptions } from './slack-rig';

export interface UseSlackRigOptions extends Omit<SlackRigOptions, 'database'> {
  /** Channel names by channel id, as Slack gives them in commands and shows them in mentions. */
  readonly channels?: Readonly<Record<string, string>>;
  /** The database to start on; a migrated one of the file's own (openTestDatabase) when absent. */
  readonly openDatabase?: () => Promise<TestDatabase>;
  /** How long beforeAll may take, when opening the database takes longer than jest's default. */
  readonly timeout?: number;
}

/** What useSlackRig started, for tests and for the hooks declared after it. */
export interface SlackRigInUse {
  readonly rig: SlackRig;
  readonly database: TestDatabase;
  /** Has afterAll close this (a server or a rig a file started on top) before the rig and the database. */
  closeFirst(close: () => Promise<void>): void;
}

/**
 * A Slack rig on a database of its own for the tests of a file (or of the describe block it is called
 * in): started in beforeAll, closed with its database in afterAll. Read `rig` and `database` in tests
 * and later hooks, not when the file loads: they exist once beforeAll has run.
 */
export function useSlackRig(options: UseSlackRigOptions = {}): SlackRigInUse {
  const { channels = {}, openDatabase = openTestDatabase, timeout, ...rigOptions } = options;
  const closings: (() => Promise<void>)[] = [];
  let database: TestDatabase | undefined;
  let rig: SlackRig | undefined;
  beforeAll(async () => {
    database = await openDatabase();
    rig = await SlackRig.start({ ...rigOptions, database });
    for (const [id, name] of Object.entries(channels)) rig.slack.channelNames.set(id, name);
  }, timeout);
  afterAll(async () => {
    for (const close of closings) await close();
    await rig?.close();
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
  throw new Error('the Slack rig starts in beforeAll: use it in a test, or in a hook declared after useSlackRig');
}
