import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { CONSOLE_SCHEDULER, prepareConsole } from '../../adapters/console';
import { toMentions } from '../../adapters/console/console-session';
import { FakeClock } from '../../src/core/clock';
import { FORM_DONE, invalid, validateForm } from '../../src/core/form';
import { actions, button, message, section } from '../../src/core/message';
import { Platforms } from '../../src/core/platform';
import { time, user } from '../../src/core/rich-text';
import type { Workflow } from '../../src/core/workflow';
import { start } from '../../src/main';
import { MIGRATIONS as migrations } from '../../adapters';
import { createSteady } from '../../src/steady';
import { openTestDatabase, silentLog, type TestDatabase } from '../support/database';
import { capture, script } from '../support/streams';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});

/** A small workflow with a form and a button, to drive the console's form dialogue. */
function demoWorkflow(clock: FakeClock): Workflow {
  const schema = z.object({
    title: z.string().max(10, 'Keep the title to 10 characters.'),
    owner: z.string(),
    due: z.iso.datetime().refine((v) => new Date(v) > clock.now(), 'The due time is in the past; pick a later one.'),
    severity: z.enum(['sev1', 'sev2']),
    notify: z.boolean().default(false),
  });
  return {
    name: 'demo',
    commands: {
      demo: async (ctx, text) =>
        ctx.openForm({
          formId: 'demo.raise',
          title: 'Raise a demo',
          fields: [
            { kind: 'text', id: 'title', label: 'Title', required: true, ...(text ? { initial: text } : {}) },
            { kind: 'user', id: 'owner', label: 'Owner', required: true },
            { kind: 'datetime', id: 'due', label: 'Due by', required: true, zone: 'Europe/Berlin' },
            {
              kind: 'select',
              id: 'severity',
              label: 'Severity',
              required: true,
              initial: 'sev2',
              options: [
                { value: 'sev1', label: 'SEV1' },
                { value: 'sev2', label: 'SEV2' },
              ],
            },
            { kind: 'checkbox', id: 'notify', label: 'Tell the owner', required: false },
          ],
        }),
    },
    forms: {
      'demo.raise': async (ctx, { values }) => {
        const checked = validateForm(schema, values);
        if (!checked.ok) return invalid(checked.errors);
        const v = checked.value;
        await platforms
          .for(ctx.actor.workspaceId)
          .post(
            ctx.conversation!,
            message([
              section([`${v.title} for `, user(v.owner), ', due ', time(new Date(v.due), 'UTC'), ` (${v.severity}, notify ${v.notify})`]),
              actions(button('Take it', 'demo.take', v.title, 'primary')),
            ]),
          );
        return FORM_DONE;
      },
    },
    actions: {
      'demo.take': async (ctx, press) => {
        await ctx.reply(`@${ctx.actor.userId} took ${press.value}`);
      },
    },
  };
}

let platforms: Platforms;

async function runSession(lines: string[], clock = new FakeClock('2026-11-30T08:00:00Z'), echo = false) {
  platforms = new Platforms();
  const output = capture();
  const parts = prepareConsole({ input: script(lines), output: output.stream, echo }, platforms);
  const steady = createSteady({
    db: database.db,
    clock,
    log: silentLog,
    platforms,
    workflows: () => [demoWorkflow(clock)],
    scheduler: CONSOLE_SCHEDULER,
  });
  await parts.session(steady, { clock, log: silentLog, user: 'alice' }).run();
  return output.text();
}

describe('console adapter', () => {
  test('a form is filled field by field, with validation on the spot and from the workflow', async () => {
    const out = await runSession([
      '/as alice Europe/Berlin',
      '/demo Printer on fire',
      '', // keep the title from the command
      'bob', // owner
      'yes', // bob has never used Steady: add him
      'tomorrow', // not a date: asked again
      '2026-11-29 10:00', // in the past: the workflow refuses it
      '', // severity: keep SEV2
      'y',
      // The form comes back with the two workflow errors.
      'Printer', // title, now short enough
      '2026-12-01 17:00', // due
      '1',
    ]);
    expect(out).toContain('── Raise a demo ── (/cancel to stop)');
    expect(out).toContain('Title (required; text) [Printer on fire]');
    expect(out).toContain('Type a date and time as YYYY-MM-DD HH:MM (in Europe/Berlin), or a delay such as +4h.');
    expect(out).toContain(
      'Please fix:\n  Title: Keep the title to 10 characters.\n  Due by: The due time is in the past; pick a later one.',
    );
    // The message is shown in the reader's zone; the button has a number.
    expect(out).toContain('[#general] Steady:\n  Printer for @bob, due Tue, 1 Dec 2026, 17:00 CET (sev2, notify true)\n  [1] Take it');
    expect(out).toContain('[#general · only @alice sees this] Steady:\n  @alice took Printer');
  });

  test('/cancel abandons a form and nothing is submitted', async () => {
    const out = await runSession(['/demo', 'Short', '/cancel', '1']);
    expect(out).toContain('Raise a demo: cancelled, nothing was saved.');
    expect(out).toContain('There is no button 1 to press.');
  });

  test('/quit and /cancel work at every prompt; other commands typed in a form are not taken as its answers', async () => {
    const out = await runSession(['/cancel', '/demo', '/as bob', '/wait 1h', '//demo title', '/help', '/quit', 'bob', '/demo']);
    expect(out).toContain('Nothing to cancel: no form is open.');
    expect(out).toContain(
      '  /as does not work inside a form: answer Title first, or /cancel the form. (To answer with text that starts with /, type it twice: //as …)',
    );
    expect(out).toContain('  /wait does not work inside a form');
    expect(out).not.toContain('You are now @bob');
    expect(out).toContain('Inside a form: Enter keeps the value in [brackets], - clears it, /cancel stops the form, /quit leaves Steady.');
    expect(out).toContain('Owner (required; @name)\n> ');
    // Leaving in the middle of a form: nothing submitted, nothing read after it.
    expect(out).toContain('Raise a demo: not submitted, nothing was saved.');
    expect(out).not.toContain('Type one person as @name');
    expect(out.match(/── Raise a demo ──/g)).toHaveLength(1);
  });

  test('a text answer that starts with / is typed with two', async () => {
    const out = await runSession(['/demo', '//var full', 'bob', '+2h', '', '']);
    expect(out).toContain('\n  /var full for @bob, due');
  });

  test('unknown commands and stray text get a helpful answer', async () => {
    const out = await runSession(['/frobnicate now', 'hello bot', '/as', '/in #ops', '/wait soon']);
    expect(out).toContain("I don't know the command /frobnicate. Try /steady help.");
    expect(out).toContain('[DM with @alice · only @alice sees this] Steady:\n  Hi! I work through commands.');
    expect(out).toContain('Usage: /as <name> [time zone]');
    expect(out).toContain('You are now in #ops.');
    expect(out).toContain('Usage: /wait <duration>');
  });

  test('input piped from a script is echoed, so the transcript reads like a terminal session', async () => {
    const out = await runSession(['/demo Broken', '', '@dana', 'yes', '+2h', '', 'n'], new FakeClock('2026-11-30T08:00:00Z'), true);
    expect(out).toContain('@alice> /demo Broken\n── Raise a demo ──');
    expect(out).toContain(
      'Owner (required; @name)\n> @dana\n  @dana has never used Steady here. Type yes to add them, or type another answer.\n> yes\nDue by',
    );
    expect(out).toContain('Tell the owner (optional; y or n)\n> n\n');
  });

  test('an update that changes nothing a reader sees prints nothing; one of a message from before is still named', async () => {
    const output = capture();
    const { platform } = prepareConsole({ input: script([]), output: output.stream }, new Platforms());
    const card = (status: string) => message([section(`Printer down\nStatus: ${status}`), actions(button('Take it', 'demo.take', 'p1'))]);
    const ref = await platform.post('console:#general', card('open'));
    const posted = output.text();
    await platform.update(ref, card('open'));
    expect(output.text()).toBe(posted);
    await platform.update(ref, card('taken'));
    await platform.update('console:m:earlier-7', card('taken'));
    expect(output.text().slice(posted.length)).toBe(
      [
        '[#general · updated] Printer down → Status: taken  (/show 1)',
        '[(an earlier session) · updated] Printer down → updated (it was first shown before this session)   [2] Take it  (/show 2)',
        '',
      ].join('\n'),
    );
  });

  test('mentions typed as @name or #channel reach the core as <@name> and <#ref>, as Slack sends them', () => {
    expect(toMentions('admins add @bob and @carol.x, mail bob@example.com')).toBe('admins add <@bob> and <@carol.x>, mail bob@example.com');
    expect(toMentions('settings channel #Ops-Alerts, issue #5 and a#b')).toBe('settings channel <#console:#ops-alerts>, issue #5 and a#b');
  });
});

describe('npm start with no platform configured', () => {
  test('opens the console on the embedded database and ends at end of input', async () => {
    const stdout = capture();
    const stderr = capture();
    const env = database.url ? { DATABASE_URL: database.url } : { DATA_DIR: ':memory:' };
    const running = await start({
      env: { ...env, CONSOLE_USER: 'dana', LOG_LEVEL: 'silent' },
      stdin: script(['/steady tz Asia/Tokyo', '/steady tz', '/wait 2h', '/steady help']),
      stdout: stdout.stream,
      stderr: stderr.stream,
    });
    expect(await running.done).toBe(0);
    const out = stdout.text();
    expect(out).toContain('Steady console: you are @dana in #general.');
    expect(out).toContain('Your time zone is now Asia/Tokyo.');
    expect(out).toMatch(/\(2h later\) It is now .* GMT\+9\./);
    expect(out).toContain('/steady tz [zone]: show or set your time zone');
    expect(stderr.text()).toBe('');
  });

  test('the time moved by /wait is kept with the data: a restart resumes there, not at the real time', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'steady-console-'));
    const env = {
      ...(database.url ? { DATABASE_URL: database.url } : { DATA_DIR: join(dataDir, 'data') }),
      CONSOLE_USER: 'alice',
      LOG_LEVEL: 'silent',
    };
    const run = async (lines: string[]) => {
      const stdout = capture();
      const running = await start({ env, stdin: script(lines), stdout: stdout.stream, stderr: capture().stream });
      expect(await running.done).toBe(0);
      return stdout.text();
    };
    try {
      const first = await run([
        '/as bob Europe/Berlin',
        '/as alice Europe/Berlin',
        '/escalate',
        'Printer down',
        'The floor cannot print',
        '',
        '',
        '2', // SEV2: due in 4h
        '@bob',
        '',
        '',
        '',
        '/wait 5h',
        '/escalate list',
      ]);
      const reference = /Raised (ESC-\d+): Printer down/.exec(first)?.[1];
      expect(reference).toBeDefined();
      expect(first).toMatch(new RegExp(`${reference} \\[SEV2\\] Printer down · owner @bob · due [^\\n]* · OVERDUE`));

      const second = await run(['/as alice', '/escalate list', `/escalate show ${reference}`]);
      // Still five hours on: overdue in the list as on the card, and no timeline entry lies ahead.
      expect(second).toMatch(new RegExp(`${reference} \\[SEV2\\] Printer down · owner @bob · due [^\\n]* · OVERDUE`));
      expect(second).toMatch(/Due: [^\n]* \(overdue\)/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('on a terminal, the first start says what takes the time: creating the database and each migration', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'steady-console-'));
    // On PostgreSQL, a database of its own that nothing has migrated yet.
    const unmigrated = database.url ? await openTestDatabase({ migrate: false }) : undefined;
    const env = { ...(unmigrated?.url ? { DATABASE_URL: unmigrated.url } : { DATA_DIR: join(dataDir, 'data') }), LOG_LEVEL: 'silent' };
    const run = async () => {
      const stdout = capture();
      const stderr = capture();
      Object.assign(stderr.stream, { isTTY: true });
      const running = await start({ env, stdin: script(['/quit']), stdout: stdout.stream, stderr: stderr.stream });
      expect(await running.done).toBe(0);
      return { out: stdout.text(), err: stderr.text() };
    };
    try {
      const first = await run();
      const total = Object.keys(migrations).length;
      if (!unmigrated) expect(first.err).toContain(`Creating the database in ${join(dataDir, 'data')} (first start only: a few seconds)…`);
      expect(first.err).toContain(`Applying migration 1/${total} (0001-foundation)…`);
      expect(first.err).toContain(`Applying migration ${total}/${total} (${Object.keys(migrations)[total - 1]})…`);
      expect(first.err).toMatch(/\nDatabase ready \(\d+\.\d s\)\.\n$/);
      // The transcript itself stays the chat.
      expect(first.out).not.toContain('migration');
      const second = await run();
      expect(second.err).toBe('');
    } finally {
      await unmigrated?.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
