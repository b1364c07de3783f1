import fc from 'fast-check';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { Harness } from '../support/harness';
import { GENERIC_FAILURE, LogCapture, hostileText, rowCounts, seedWorkspace, settings } from './support';

/**
 * Every command parser (/escalate, /standup, /handoff, /steady) through the real dispatcher on the
 * real database: whatever follows a command word, the person gets an answer that is not the generic
 * failure, nothing is logged as a failure, and a refused command stores nothing.
 */
const PEOPLE = {
  alice: { displayName: 'Alice', timeZone: 'Europe/Berlin' },
  bob: { displayName: 'Bob', timeZone: 'Europe/Berlin' },
  carol: { displayName: 'Carol', timeZone: 'Europe/Berlin' },
  eve: { displayName: 'Eve', timeZone: 'Europe/Berlin' },
  dave: { displayName: 'Dave', timeZone: 'America/New_York' },
};

const WORDS: Readonly<Record<string, readonly string[]>> = {
  escalate: [
    '',
    'new',
    'raise',
    'help',
    'list',
    'show',
    'stats',
    'ack',
    'update',
    'reassign',
    'due',
    'resolve',
    'cancel',
    'reopen',
    'policy create',
    'policy edit',
    'policy delete',
    'policy default',
    'policies',
    'settings',
    'settings due',
    'settings hours',
    'settings chase',
    'settings channel',
    'admins',
    'admins add',
    'admins remove',
  ],
  standup: [
    '',
    'create',
    'new',
    'edit',
    'delete',
    'list',
    'show',
    'join',
    'leave',
    'skip',
    'back',
    'pause',
    'resume',
    'now',
    'report',
    'report daily',
    'tz',
    'timezone',
    'help',
  ],
  handoff: [
    '',
    'create',
    'new',
    'edit',
    'delete',
    'remove',
    'list',
    'rotations',
    'rotation',
    'show',
    'who',
    'note',
    'write',
    'history',
    'stats',
    'swap',
    'override',
    'overrides',
    'help',
  ],
  steady: ['', 'help', 'home', 'tz', 'timezone', 'admins', 'admins add', 'admins remove'],
};

let database: TestDatabase;
let h: Harness;
const capture = new LogCapture();

beforeAll(async () => {
  database = await openTestDatabase();
  h = new Harness(database, { people: PEOPLE, steady: { log: capture.log } });
  await seedWorkspace(h);
});

afterAll(async () => {
  await database?.close();
});

const command = fc.constantFrom(...Object.keys(WORDS)).chain((name) =>
  fc.record({
    name: fc.constant(name),
    word: fc.constantFrom(...WORDS[name]!),
    reference: fc.constantFrom('', 'ESC-1 ', 'esc-1 ', 'Daily ', 'Ops ', '<@bob> '),
    text: hostileText,
    as: fc.constantFrom('alice', 'bob', 'eve'),
  }),
);

test('no text after a command gets the generic failure, a failure in the log, or a stored row when refused', async () => {
  await fc.assert(
    fc.asyncProperty(command, async (c) => {
      const text = `${c.word} ${c.reference}${c.text}`;
      const logged = capture.records.length;
      const before = await rowCounts(database.db);
      const replies = h.repliesTo(c.as).length;
      await h.as(c.as).command(c.name, text);
      const answers = h.repliesTo(c.as).slice(replies);
      expect({ text, failures: capture.failuresSince(logged).map((r) => r.err ?? r.msg) }).toEqual({ text, failures: [] });
      expect(answers.filter((a) => GENERIC_FAILURE.test(a))).toEqual([]);
      if (capture.refusedSince(logged)) expect(await rowCounts(database.db)).toEqual(before);
    }),
    settings(150),
  );
});

test('direct messages with any text are answered without a failure', async () => {
  await fc.assert(
    fc.asyncProperty(hostileText, fc.constantFrom('alice', 'bob', 'carol'), async (text, who) => {
      const logged = capture.records.length;
      const replies = h.repliesTo(who).length;
      await h.as(who, `test:D-${who}`).directMessage(text);
      expect(capture.failuresSince(logged).map((r) => r.err ?? r.msg)).toEqual([]);
      expect(
        h
          .repliesTo(who)
          .slice(replies)
          .filter((a) => GENERIC_FAILURE.test(a)),
      ).toEqual([]);
    }),
    settings(40),
  );
});
