import { toMentions } from '../../adapters/console/console-session';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { runConsole } from '../support/console-script';

/**
 * In Slack and Teams people and channels come from pickers; in the terminal anything can be typed.
 * A person or channel the console has never seen is asked about before it is used, so `1,2,3` in
 * Members, `#2` for a channel or a misspelt owner never quietly becomes someone who owns things.
 * Monday 30 November 2026, 10:00 in Berlin.
 */
const START = '2026-11-30T09:00:00Z';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});

async function people(): Promise<string[]> {
  return (await database.db.selectFrom('people').select('user_id').orderBy('user_id').execute()).map((r) => r.user_id);
}

async function channels(): Promise<string[]> {
  return (await database.db.selectFrom('console_channels').select('ref').orderBy('ref').execute()).map((r) => r.ref);
}

describe('people and channels typed in the console', () => {
  test('an owner or channel never seen is asked about in the form: no keeps them out, yes adds them', async () => {
    const out = await runConsole(
      database,
      [
        '/as alice Europe/Berlin',
        '/escalate Printer down', // the title is given: the form starts at the impact
        'The whole floor cannot print',
        '', // options
        '', // recommendation
        '', // severity
        '@nobody_here', // owner: never seen
        'no',
        '@alice',
        '', // due: the default
        'yesterday', // post in: never seen
        'yes',
      ],
      { start: START },
    );
    expect(out).toContain(
      'Owner (required; @name)\n    (One person who drives it to a decision.)\n> \n  @nobody_here has never used Steady here. Type yes to add them, or type another answer.\n> ',
    );
    expect(out).toContain('  Not added.\nOwner (required; @name)');
    expect(out).toContain('  #yesterday has never been used here. Type yes to add it, or type another answer.');
    expect(out).toContain('Posted in #yesterday · owner @alice');
    expect(await people()).toEqual(['alice', 'you']);
    expect(await channels()).toEqual(['console:#general', 'console:#yesterday']);
  });

  test('a command naming someone never seen waits for a yes; anything else drops it, and /as adds them', async () => {
    const out = await runConsole(
      database,
      [
        '/as alice Europe/Berlin',
        '/escalate reassign ESC-1 @nobody_here',
        '/as nobody_here', // not a yes: the command is dropped and this line runs
        '/as alice',
        '/escalate reassign ESC-1 @nobody_here', // seen now: no question
        '/escalate reassign ESC-1 @bob',
        'yes',
        '/escalate reassign ESC-1 <@ghost>', // typed literally: not a mention
      ],
      { start: START },
    );
    expect(out).toContain(
      '@nobody_here has never used Steady here. Type yes to add them, or /as nobody_here first.\nNot added; the command was not run.\nYou are now @nobody_here (UTC).',
    );
    expect(out).toContain('ESC-1 now belongs to @nobody_here.');
    expect(out).toContain('@bob has never used Steady here. Type yes to add them, or /as bob first.');
    expect(out).toContain('ESC-1 now belongs to @bob.');
    expect(out).toContain('Name the new owner as a mention: /escalate reassign ESC-12 @name [reason].');
    expect(out).not.toContain('@ghost has never used');
    expect(out).not.toContain('belongs to @ghost');
    expect(await people()).toEqual(['alice', 'bob', 'nobody_here', 'you']);
  });

  test('policy levels take only people and channels seen or agreed to', async () => {
    const out = await runConsole(
      database,
      [
        '/as alice',
        '/escalate admins add @alice',
        '/escalate policy create Ops', // the name is given: the form starts at repeat
        '', // repeat
        '@10', // level 1 people
        'no',
        '@bob',
        '#2', // level 1 channel
        'n',
        '-',
        '', // wait 15
        '', // level 2 people
        '', // level 2 channel
        '', // level 2 wait
        '', // level 3 people
        '', // level 3 channel
        '', // level 3 wait
      ],
      { start: START },
    );
    expect(out).toContain('  @10 has never used Steady here. Type yes to add them, or type another answer.');
    expect(out).toContain('  #2 has never been used here. Type yes to add it, or type another answer.');
    expect(out).toContain('Created. Ops:\n     1. @bob, then wait 15m');
    expect(await people()).not.toContain('10');
    expect(await channels()).not.toContain('console:#2');
  });

  test('rotation members 1,2,3,4,5 are asked about, not saved as @1 … @5; channels entered with /in are known', async () => {
    const out = await runConsole(
      database,
      [
        '/as alice Europe/Berlin',
        '/in #ops',
        '/handoff rotation create',
        'Ops',
        '1,2,3,4,5',
        'no',
        '@alice @bob @carol',
        'yes',
        '', // shifts
        '', // days
        '', // zone
        '', // first day
        '#ops', // typed, but seen: no question
        '', // lead
        '', // timeout
        '', // supervisor
        '', // note fields
      ],
      { start: START },
    );
    expect(out).toContain('  @1, @2, @3, @4 and @5 have never used Steady here. Type yes to add them, or type another answer.');
    expect(out).toContain('  @carol has never used Steady here. Type yes to add them, or type another answer.');
    expect(out).not.toContain('#ops has never been used here');
    expect(out).toContain('members @alice, @bob, @carol · notes to #ops');
    expect(await people()).toEqual(['alice', 'bob', 'carol', 'nobody_here', 'you']);
  });
});

test('a mention typed literally in the console is text, as in Slack and Teams', () => {
  expect(toMentions('reassign ESC-1 <@ghost> to @bob in <#console:#2>')).toBe(
    'reassign ESC-1 <\u200b@ghost> to <@bob> in <\u200b#console:#2>',
  );
});
