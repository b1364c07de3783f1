import { FakeClock } from '../../src/core/clock';
import { PlatformError, UserError } from '../../src/core/errors';
import { invalid } from '../../src/core/form';
import type { Interaction } from '../../src/core/inbound';
import type { Message } from '../../src/core/message';
import { visibleText } from '../support/visible-text';
import { Platforms } from '../../src/core/platform';
import type { Workflow } from '../../src/core/workflow';
import { createSteady } from '../../src/steady';
import { openTestDatabase, silentLog, type TestDatabase } from '../support/database';
import { RecordingPlatform } from '../support/recording-platform';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});

function setUp(workflow: Workflow) {
  const platforms = new Platforms();
  const platform = new RecordingPlatform('test', { alice: { displayName: 'Alice', timeZone: 'Asia/Tokyo' } });
  platforms.register(platform);
  const steady = createSteady({
    db: database.db,
    clock: new FakeClock('2026-11-30T08:00:00Z'),
    log: silentLog,
    platforms,
    workflows: () => [workflow],
  });
  const replies: string[] = [];
  const interaction = (key?: string): Interaction => ({
    actor: { workspaceId: 'test:W1', userId: 'alice' },
    conversation: 'test:C1',
    correlationId: 'corr-1',
    ...(key ? { idempotencyKey: key } : {}),
    replyPrivately: async (m: Message) => {
      replies.push(visibleText(m));
    },
  });
  return { steady, replies, interaction, platform };
}

describe('dispatcher', () => {
  test('a platform retry of the same event is handled once', async () => {
    let calls = 0;
    const { steady, interaction } = setUp({
      name: 'count',
      commands: {
        count: async () => {
          calls++;
        },
      },
    });
    await steady.dispatcher.handle({ type: 'command', command: 'count', text: '' }, interaction('evt-1'));
    await steady.dispatcher.handle({ type: 'command', command: 'count', text: '' }, interaction('evt-1'));
    await steady.dispatcher.handle({ type: 'command', command: 'count', text: '' }, interaction('evt-2'));
    expect(calls).toBe(2);
  });

  test('a failed event can be retried by the platform', async () => {
    let calls = 0;
    const { steady, interaction, replies } = setUp({
      name: 'flaky',
      commands: {
        flaky: async () => {
          calls++;
          if (calls === 1) throw new Error('database hiccup');
        },
      },
    });
    await steady.dispatcher.handle({ type: 'command', command: 'flaky', text: '' }, interaction('evt-9'));
    await steady.dispatcher.handle({ type: 'command', command: 'flaky', text: '' }, interaction('evt-9'));
    expect(calls).toBe(2);
    expect(replies[0]).toContain("something went wrong on Steady's side (reference corr-1)");
  });

  test('a refusal is told privately, in the words of the workflow', async () => {
    const { steady, interaction, replies } = setUp({
      name: 'strict',
      commands: {
        strict: async () => {
          throw new UserError('Only the owner can do that. Ask @bob.');
        },
      },
    });
    await steady.dispatcher.handle({ type: 'command', command: 'strict', text: '' }, interaction());
    expect(replies).toEqual(['Only the owner can do that. Ask @bob.']);
  });

  test("a platform refusal is explained in terms the person can act on, in their platform's words", async () => {
    const { steady, interaction, replies, platform } = setUp({
      name: 'poster',
      commands: {
        poster: async () => {
          throw new PlatformError('PERMISSION', 'not_in_channel', { platformCode: 'not_in_channel' });
        },
      },
    });
    await steady.dispatcher.handle({ type: 'command', command: 'poster', text: '' }, interaction());
    platform.wording = { invite: 'type /invite @Steady there' };
    await steady.dispatcher.handle({ type: 'command', command: 'poster', text: '' }, interaction());
    expect(replies).toEqual([
      'Steady is not allowed to post there. Add Steady to that conversation and try again. (reference corr-1)',
      'Steady is not allowed to post there. Add Steady to that conversation (type /invite @Steady there) and try again. (reference corr-1)',
    ]);
  });

  test('the person who acted is recorded with their platform profile', async () => {
    const { steady, interaction } = setUp({ name: 'noop', commands: { noop: async () => undefined } });
    await steady.dispatcher.handle({ type: 'command', command: 'noop', text: '' }, interaction());
    const person = await database.db.selectFrom('people').selectAll().where('user_id', '=', 'alice').executeTakeFirst();
    expect(person).toMatchObject({ workspace_id: 'test:W1', display_name: 'Alice', time_zone: 'Asia/Tokyo', time_zone_source: 'platform' });
    expect(await steady.people.zoneOf('test:W1', 'alice')).toBe('Asia/Tokyo');
  });

  test('an invalid form submission sent again is checked again, not taken for a repeat', async () => {
    let calls = 0;
    const { steady, interaction } = setUp({
      name: 'picky',
      forms: {
        'picky.form': async () => {
          calls++;
          return invalid({ title: 'Give it a title.' });
        },
      },
    });
    const submit = () => steady.dispatcher.handle({ type: 'form', formId: 'picky.form', values: { title: '' } }, interaction('view-1'));
    expect(await submit()).toEqual(invalid({ title: 'Give it a title.' }));
    expect(await submit()).toEqual(invalid({ title: 'Give it a title.' }));
    expect(calls).toBe(2);
  });

  test('two workflows cannot claim the same command', () => {
    const w = (name: string): Workflow => ({ name, commands: { same: async () => undefined } });
    const platforms = new Platforms();
    expect(() =>
      createSteady({
        db: database.db,
        clock: new FakeClock('2026-01-01T00:00:00Z'),
        log: silentLog,
        platforms,
        workflows: () => [w('a'), w('b')],
      }),
    ).toThrow('command "same" is claimed by both a and b');
  });
});
