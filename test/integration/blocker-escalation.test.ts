import type { Form } from '../../src/core/form';
import { openTestDatabase, type TestDatabase } from '../support/database';
import type { Harness } from '../support/harness';
import { card } from '../escalation/support';
import { createStandup } from '../standup/support';
import { TEAM_CHANNEL, createRotation, current, dms, resetDatabase, steadyAt } from './support';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});
beforeEach(() => resetDatabase(database));

/** The day's message of the stand-up in the team channel, as it reads now. */
function dayMessage(h: Harness, date: string) {
  const posted = h.platform.sent.filter(
    (s) => s.op === 'post' && s.to === TEAM_CHANNEL && !s.threadOf && s.text.startsWith(`Daily · ${date}`),
  );
  expect(posted).toHaveLength(1);
  return current(h, posted[0]!);
}

/** Answers today's three questions in chat. */
async function answer(h: Harness, user: string, answers: readonly string[]): Promise<void> {
  for (const text of answers) await h.as(user, `test:D-${user}`).directMessage(text);
}

/** The blockers the outgoing person's handoff note form offers now, opened with /handoff note. */
async function blockersOffered(h: Harness, writer: string): Promise<string[]> {
  await h.as(writer).command('handoff', 'note');
  const form: Form | undefined = h.lastForm(writer);
  const field = form?.fields.find((f) => f.id === 'blockers');
  return field?.kind === 'multiselect' ? field.options.map((o) => o.label) : [];
}

/**
 * A blocker from the morning's stand-up is escalated in one click from the day's message; the
 * escalation is raised on behalf of the person blocked, the day's message shows its reference, and
 * the blocker counts as unresolved (in the handoff note of that day) for as long as its escalation
 * is open, whoever owns it, until it is resolved.
 */
describe('a stand-up blocker escalated in one click', () => {
  test('is raised for the person blocked, shows its reference, and stays unresolved until its escalation is resolved', async () => {
    const h = steadyAt(database, '2026-11-30T08:00:00Z');
    await createRotation(h, 'eve');
    expect(await createStandup(h, 'carol', { name: 'Daily', participants: ['alice', 'bob'] }, TEAM_CHANNEL)).toEqual({ status: 'done' });

    // Tuesday 09:30 Berlin: alice is blocked; bob is not.
    await h.advance('2026-12-01T08:35:00Z');
    await answer(h, 'alice', ['Rotated the keys', 'Deploy the gateway', 'Waiting for the VPN certificate']);
    await answer(h, 'bob', ['Reviewed PRs', 'Pair with alice', 'skip']);
    let day = dayMessage(h, 'Tue, 1 Dec 2026');
    expect(day.text).toContain('🚧 Blockers (1)\n@alice: Waiting for the VPN certificate\n[Escalate]');

    // carol escalates it from the channel: the real escalation form opens, pre-filled.
    await h.as('carol', TEAM_CHANNEL).press(h.buttonsOf(day).find((b) => b.label === 'Escalate')!, day.ref);
    const form = h.lastForm('carol')!;
    expect(form.fields.find((f) => f.id === 'title')).toMatchObject({ initial: 'Waiting for the VPN certificate' });
    expect(await h.as('carol', TEAM_CHANNEL).submit({ owner: 'dave', severity: 'SEV2' })).toEqual({ status: 'done' });
    const stored = await database.db.selectFrom('escalations').select(['raiser_id', 'owner_id', 'status']).executeTakeFirstOrThrow();
    expect(stored).toEqual({ raiser_id: 'alice', owner_id: 'dave', status: 'open' });
    expect(card(h, 'ESC-1').text).toContain('Blocker from Daily, Tue, 1 Dec 2026');
    expect(dms(h, 'dave')[0]!.text).toContain('You own ESC-1, raised by @alice.');
    // alice, for whom it was raised, hears of it now, not first when it is resolved.
    expect(dms(h, 'alice').at(-1)!.text).toBe(
      '@carol raised ESC-1 Waiting for the VPN certificate on your behalf (Blocker from Daily, Tue, 1 Dec 2026). @dave owns it; it is due Tue, 1 Dec 2026, 13:35 CET.\n[View]',
    );
    day = dayMessage(h, 'Tue, 1 Dec 2026');
    expect(day.text).toContain('@alice: Waiting for the VPN certificate · escalated as ESC-1');
    expect(h.buttonsOf(day).map((b) => b.label)).not.toContain('Escalate');

    // alice's shift ends at 15:00: her handoff note offers the blocker, which is escalated and open.
    await h.advance('2026-12-01T13:35:00Z');
    expect(await blockersOffered(h, 'alice')).toEqual(['@Alice: Waiting for the VPN certificate']);

    // dave hands the escalation to erin: it is still open, so the blocker is still unresolved.
    await h.as('dave').command('escalate', 'reassign ESC-1 <@erin> on leave from tomorrow');
    expect(h.repliesTo('dave').at(-1)).toContain('ESC-1');
    expect(await blockersOffered(h, 'alice')).toEqual(['@Alice: Waiting for the VPN certificate']);

    // erin resolves it: the blocker is no longer offered.
    await h.as('erin').command('escalate', 'resolve ESC-1 Certificate issued by IT');
    expect(h.repliesTo('erin').at(-1)).toContain('Resolved ESC-1');
    expect(await blockersOffered(h, 'alice')).toEqual([]);

    // The day stays in the stand-up's figures: one blocker raised, escalated (Monday's prompt went unanswered).
    await h.advance('2026-12-01T14:00:00Z');
    await h.as('carol').command('standup', 'report Daily 7d');
    const report = h.repliesTo('carol').at(-1)!;
    expect(report).toContain('@alice: 1 on time, 0 late, 0 skipped, 1 missed · participation 50% · streak 1 · blockers 1');
    expect(report).toContain('Team: participation 50% · 1 blocker raised, 1 escalated');
  });

  test('escalated by two people at once: the second is told it is escalated already, and nothing more is raised', async () => {
    const h = steadyAt(database, '2026-11-30T08:00:00Z');
    await createStandup(h, 'carol', { name: 'Daily', participants: ['alice'] }, TEAM_CHANNEL);
    await h.advance('2026-12-01T08:35:00Z');
    await answer(h, 'alice', ['Rotated the keys', 'Deploy the gateway', 'Waiting for the VPN certificate']);
    const day = dayMessage(h, 'Tue, 1 Dec 2026');
    const escalate = h.buttonsOf(day).find((b) => b.label === 'Escalate')!;

    // carol and bob both open the form before either submits it.
    await h.as('carol', TEAM_CHANNEL).press(escalate, day.ref);
    await h.as('bob', TEAM_CHANNEL).press(escalate, day.ref);
    expect(await h.as('carol', TEAM_CHANNEL).submit({ owner: 'dave' })).toEqual({ status: 'done' });
    expect(await h.as('bob', TEAM_CHANNEL).submit({ owner: 'erin' })).toEqual({ status: 'done' });
    expect(h.repliesTo('bob').at(-1)).toBe('Blocker from Daily, Tue, 1 Dec 2026: already escalated as ESC-1. Nothing was raised.');

    const stored = await database.db.selectFrom('escalations').select(['number', 'owner_id']).execute();
    expect(stored).toEqual([{ number: 1, owner_id: 'dave' }]);
    expect(dms(h, 'erin')).toEqual([]);
    expect(dayMessage(h, 'Tue, 1 Dec 2026').text).toContain('@alice: Waiting for the VPN certificate · escalated as ESC-1');
  });
});
