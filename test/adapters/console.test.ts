import { z } from 'zod';
import { prepareConsole } from '../../adapters/console';
import { toMentions } from '../../adapters/console/console-session';
import { FakeClock } from '../../src/core/clock';
import { FORM_DONE, invalid, validateForm } from '../../src/core/form';
import { actions, button, message, section } from '../../src/core/message';
import { Platforms } from '../../src/core/platform';
import { time, user } from '../../src/core/rich-text';
import type { Workflow } from '../../src/core/workflow';
import { start } from '../../src/main';
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
            { kind: 'select', id: 'severity', label: 'Severity', required: true, initial: 'sev2', options: [{ value: 'sev1', label: 'SEV1' }, { value: 'sev2', label: 'SEV2' }] },
            { kind: 'checkbox', id: 'notify', label: 'Tell the owner', required: false },
          ],
        }),
    },
    forms: {
      'demo.raise': async (ctx, { values }) => {
        const checked = validateForm(schema, values);
        if (!checked.ok) return invalid(checked.errors);
        const v = checked.value;
        await platforms.for(ctx.actor.workspaceId).post(
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
  const steady = createSteady({ db: database.db, clock, log: silentLog, platforms, workflows: () => [demoWorkflow(clock)] });
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
    expect(out).toContain('Please fix:\n  Title: Keep the title to 10 characters.\n  Due by: The due time is in the past; pick a later one.');
    // The message is shown in the reader's zone; the button has a number.
    expect(out).toContain('[#general] Steady:\n  Printer for @bob, due Tue, 1 Dec 2026, 17:00 CET (sev2, notify true)\n  [1] Take it');
    expect(out).toContain('[#general · only @alice sees this] Steady:\n  @alice took Printer');
  });

  test('/cancel abandons a form and nothing is submitted', async () => {
    const out = await runSession(['/demo', 'Short', '/cancel', '1']);
    expect(out).toContain('Raise a demo: cancelled, nothing was saved.');
    expect(out).toContain('There is no button 1 to press.');
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
    expect(out).toContain('Owner (required; @name)\n> @dana\n  @dana has never used Steady here. Type yes to add them, or type another answer.\n> yes\nDue by');
    expect(out).toContain('Tell the owner (optional; y or n)\n> n\n');
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
});
