import type { Button, Message } from '../../src/core/message';
import { openTestDatabase, type TestDatabase } from '../support/database';
import type { Harness } from '../support/harness';
import { raise } from '../escalation/support';
import { createStandup } from '../standup/support';
import { TEAM_CHANNEL, WORKSPACE, createRotation, lastButton, resetDatabase, steadyAt } from './support';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});
beforeEach(() => resetDatabase(database));

function homeButton(message: Message, label: string): Button {
  const found = message.blocks.flatMap((b) => (b.type === 'actions' ? [...b.buttons] : [])).find((b) => b.label === label);
  if (!found) throw new Error(`no "${label}" button on the home view`);
  return found;
}

async function home(h: Harness, user: string): Promise<string> {
  await h.as(user).command('steady', 'home');
  return h.repliesTo(user).at(-1)!;
}

/**
 * `/steady home` gathers what needs one person from every workflow: the escalations they own or
 * raised, the stand-up waiting for their answers, the handoff waiting for them to write or
 * confirm, and who is on in their rotations. Each part's buttons act as the originals do.
 */
describe('the home view', () => {
  test("shows one person's escalations, today's stand-up and their shift's handoff together, and its buttons work", async () => {
    const h = steadyAt(database, '2026-11-30T08:00:00Z');
    await createRotation(h, 'eve');
    await createStandup(h, 'carol', { name: 'Afternoon', participants: ['alice', 'bob'], time: '14:30' }, TEAM_CHANNEL);
    await h.advance('2026-12-01T11:00:00Z');
    await raise(h, 'erin', { title: 'Printer down', owner: 'bob', severity: 'SEV3' });
    await raise(h, 'bob', { title: 'Badge reader broken', owner: 'carol', severity: 'SEV3' });
    expect(await home(h, 'dave')).toBe('Nothing needs you right now. Try /steady help to see what Steady does.');

    // 14:30 Berlin: the stand-up asks; alice is reminded to write her note.
    await h.advance('2026-12-01T13:30:00Z');
    expect(await home(h, 'alice')).toBe(
      [
        'Stand-ups',
        'Afternoon · Tue, 1 Dec 2026: waiting for your answers, due by 17:30 CET.',
        '[Answer] [Skip today]',
        'Your next stand-ups',
        'Afternoon: Wed, 2 Dec 2026, 14:30 CET',
        '---',
        'Shifts and handoffs',
        'Write your Ops handoff note for @bob: your shift ends 15:00 CET.',
        '[Write handoff]',
        'Ops: on now @alice · next @bob from Tue, 1 Dec 2026, 15:00 CET',
      ].join('\n'),
    );
    await h.as('alice').press(lastButton(h, 'alice', 'Write handoff'));
    await h.as('alice').submit({ status: 'steady', section1: 'Quiet.' });
    // 15:05: alice's note reached bob at 15:00.
    await h.advance('2026-12-01T14:05:00Z');
    const bob = await home(h, 'bob');
    expect(bob).toBe(
      [
        'Escalations you own',
        'ESC-1 [SEV3] Printer down · owner @bob · due Wed, 2 Dec 2026, 17:00 CET',
        '[Acknowledge] [Add update] [Change due] [Resolve] [View]',
        'Escalations you raised',
        'ESC-2 [SEV3] Badge reader broken · owner @carol · due Wed, 2 Dec 2026, 17:00 CET',
        '[Add update] [Reassign] [View]',
        '---',
        'Stand-ups',
        'Afternoon · Tue, 1 Dec 2026: waiting for your answers, due by 17:30 CET.',
        '[Answer] [Skip today]',
        'Your next stand-ups',
        'Afternoon: Wed, 2 Dec 2026, 14:30 CET',
        '---',
        'Shifts and handoffs',
        'Confirm the Ops handoff from @alice.',
        '[Confirm] [Ask a question]',
        'Ops: on now @bob · next @carol from Tue, 1 Dec 2026, 23:00 CET',
      ].join('\n'),
    );

    // The home's buttons: Answer opens the stand-up form; Confirm confirms the handoff, which the home then no longer asks for.
    await h.as('bob').press(homeButton(await h.steady.dispatcher.home({ workspaceId: WORKSPACE, userId: 'bob' }), 'Answer'));
    expect(h.lastForm('bob')!.fields.map((f) => f.label)).toEqual([
      'What did you get done since the last stand-up?',
      'What will you do today?',
      'Anything blocking you?',
    ]);
    await h.as('bob').press(homeButton(await h.steady.dispatcher.home({ workspaceId: WORKSPACE, userId: 'bob' }), 'Confirm'));
    expect(h.repliesTo('bob').at(-1)).toContain('Handoff confirmed at 15:05 CET.');
    const after = await home(h, 'bob');
    expect(after).not.toContain('Confirm the Ops handoff');
    expect(after).toContain('Escalations you own\nESC-1');
  });
});
