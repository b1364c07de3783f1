import { PlatformError } from '../../../src/core/errors';
import { textMessage } from '../../../src/core/message';
import { conversationRef, workspaceIdOf } from '../../../adapters/teams/refs';
import { rows } from '../../support/database';
import {
  PERSONAL,
  TENANT_ID,
  channel,
  conversationUpdate,
  installationUpdate,
  messageActivity,
  person,
  team,
  type Where,
} from '../../support/fake-teams-activities';
import { inputsOf, mentionedIds } from '../../support/fake-teams-cards';
import { personalConversationId } from '../../support/fake-teams-connector';
import { BERLIN_TEAM } from '../../support/teams-people';
import { TeamsRig } from '../../support/teams-rig';
import { useTeamsRig } from '../../support/use-teams-rig';
import { demoWorkflows, emptyDemoLog } from './demo-workflow';

const { alice } = BERLIN_TEAM;
const bob = { ...BERLIN_TEAM.bob, zone: 'America/New_York' };
const carol = person('carol', { name: 'Carol Cole' });
const dave = person('dave', { name: 'Dave Dunn' });
const ops = team('Ops');
const incidents = channel(ops, 'Incidents');
const general = channel(ops, 'General');
const WORKSPACE = workspaceIdOf(TENANT_ID);

const log = emptyDemoLog();
const setup = useTeamsRig({ workflows: demoWorkflows(log), start: '2026-11-30T08:00:00Z' });

const channelId = (where: Where) => (where.kind === 'channel' ? where.channelId : '');

describe('Teams adapter, driven through /api/messages', () => {
  test('installing Steady stores the 1:1 chat by tenant and says hello', async () => {
    const answer = await setup.rig.install(alice);
    expect(answer.status).toBe(200);
    expect(setup.rig.textsIn(alice)).toEqual([
      "Hi, Alice! I'm Steady: stand-ups, escalations and shift handoffs, right here in Teams.\n\nType help to see what I can do.",
    ]);
    expect(await rows(setup.database.db, 'teams_conversations')).toEqual([
      expect.objectContaining({
        tenant_id: TENANT_ID,
        conversation_id: personalConversationId(alice.id),
        kind: 'personal',
        user_id: alice.id,
        service_url: setup.rig.serviceUrl,
      }),
    ]);
  });

  test('adding Steady to a team stores every channel of it', async () => {
    expect((await setup.rig.addToTeam(ops, alice, ['Incidents'])).status).toBe(200);
    const channels = (await rows(setup.database.db, 'teams_conversations')).filter((r) => r.kind === 'channel');
    expect(channels.map((c) => [c.conversation_id, c.name, c.team_id])).toEqual(
      expect.arrayContaining([
        [ops.id, 'General', ops.id],
        [channelId(incidents), 'Incidents', ops.id],
      ]),
    );
  });

  test('help and home answer in the 1:1 chat', async () => {
    await setup.rig.say(alice, 'help');
    expect(setup.rig.text(setup.rig.last(alice))).toMatch(/^Steady commands\n• demo form/);
    await setup.rig.say(alice, 'home');
    expect(setup.rig.text(setup.rig.last(alice))).toBe('Demo home for @Alice Adams');
    expect(mentionedIds(setup.rig.last(alice).versions[0])).toEqual([alice.id]);
  });

  test('the zone Teams reports is stored for the person, unless they chose one', async () => {
    await setup.rig.say(bob, 'steady tz');
    const zoneOf = async () => (await rows(setup.database.db, 'people')).find((p) => p.user_id === bob.id);
    expect(await zoneOf()).toEqual(expect.objectContaining({ time_zone: 'America/New_York', time_zone_source: 'platform' }));
    expect(setup.rig.text(setup.rig.last(bob), 'America/New_York')).toBe(
      'Your time zone is America/New_York. It is now Mon, 30 Nov 2026, 03:00 EST for you.',
    );

    await setup.rig.say(bob, 'steady tz Asia/Tokyo');
    await setup.rig.say(bob, 'help');
    expect(await zoneOf()).toEqual(expect.objectContaining({ time_zone: 'Asia/Tokyo', time_zone_source: 'explicit' }));
  });

  test('in a channel the @mention of Steady is stripped and other mentions become <@id>', async () => {
    const answer = await setup.rig.say(alice, '@Steady demo echo hello @Bob Brown, have a look', incidents, { mentions: [bob] });
    expect(answer.status).toBe(200);
    expect(log.commands.at(-1)).toBe(`echo hello <@${bob.id}>, have a look`);
    // A private answer in a channel goes to the person's 1:1 chat: Teams has no ephemeral messages.
    expect(setup.rig.text(setup.rig.last(alice))).toBe('You said: hello @Bob Brown, have a look');
    expect(mentionedIds(setup.rig.last(alice).versions[0])).toEqual([bob.id]);
    expect(setup.rig.sentIn(incidents)).toEqual([]);
  });

  test('in the 1:1 chat anything but a command goes to the workflows; in a channel an unknown word gets help', async () => {
    await setup.rig.say(alice, 'Finished the quarterly report');
    expect(log.directMessages).toEqual(['Finished the quarterly report']);
    expect(setup.rig.text(setup.rig.last(alice))).toBe('Noted: Finished the quarterly report');

    await setup.rig.say(alice, '@Steady dance', incidents);
    expect(setup.rig.text(setup.rig.last(alice))).toBe("I don't know the command /dance. Try /steady help.");
  });

  test('a form round trip: problems are shown by the fields on the same card, then it closes', async () => {
    setup.rig.knows(bob);
    const asked = await setup.rig.say(alice, '@Steady demo form Printer', incidents);
    expect(asked.status).toBe(200);
    const form = setup.rig.last(incidents);
    // The card is posted in the thread of the message that asked for it.
    expect(form.threadRootId).toBeDefined();
    expect(setup.rig.text(form, 'Europe/Berlin').split('\n').slice(0, 6)).toEqual([
      'New ticket',
      'For @Alice Adams',
      'Tell us what is wrong.',
      '[Title: Printer]',
      '[Details]',
      '[Owner]',
    ]);
    const postIn = inputsOf(form.versions[0]).find((i) => i.label === 'Post in');
    expect(postIn?.choices?.map((c) => c.title)).toEqual(['Ops › #General', 'Ops › #Incidents']);

    // 1. Nothing chosen for a required person: the adapter says so without bothering the workflow.
    const first = await setup.rig.submit(alice, form, { Due: { date: '2026-12-01', time: '10:00' } });
    expect(first.status).toBe(200);
    expect(setup.rig.answerText(first)).toContain('[Owner]\nOwner is required.');
    expect(form.versions).toHaveLength(2);
    expect(log.submissions).toEqual([]);

    // 2. The workflow refuses the title: the card comes back with its message by the Title field, values kept.
    const second = await setup.rig.submit(alice, form, { Title: 'P', Owner: bob, Due: { date: '2026-12-01', time: '10:00' } });
    const shown = setup.rig.text(form, 'Europe/Berlin');
    expect(setup.rig.answerText(second, 'Europe/Berlin')).toBe(shown);
    expect(shown).toContain('Please check the fields marked below.');
    expect(shown).toContain('[Title: P]\nGive the ticket a title of at least 3 characters.\n[Details]\n[Owner: Bob Brown]');
    expect(shown).toContain('[Due: 2026-12-01] | [Time (Europe/Berlin): 10:00]');
    expect(log.submissions).toEqual([]);

    // 3. Right: the workflow gets normalised values; the card closes; the ticket and the owner's DM go out.
    const values = {
      Title: 'Printer jam',
      Watchers: [alice, bob],
      'Post in': 'Ops › #General',
      Priority: 'High',
      Labels: 'Hardware, Network',
      Urgent: true,
      'Start date': '2026-12-01',
      'Start time': '09:30',
    };
    const third = await setup.rig.submit(alice, form, values);
    expect(setup.rig.answerText(third)).toBe('New ticket\n✓ Submitted by @Alice Adams');
    expect(setup.rig.text(form)).toBe('New ticket\n✓ Submitted by @Alice Adams');
    expect(log.submissions).toEqual([
      {
        title: 'Printer jam',
        owner: bob.id,
        watchers: [alice.id, bob.id],
        due: '2026-12-01T09:00:00.000Z',
        channel: conversationRef({ tenantId: TENANT_ID, conversationId: ops.id }),
        priority: 'high',
        labels: ['hw', 'net'],
        urgent: true,
        start: '2026-12-01',
        at: '09:30',
        state: 'v1',
        conversation: conversationRef({ tenantId: TENANT_ID, conversationId: channelId(incidents) }),
      },
    ]);
    expect(setup.rig.text(setup.rig.last(general), 'America/New_York')).toBe(
      'Ticket: Printer jam\nOwner: @Bob Brown\nDue: Tue, 1 Dec 2026, 04:00 EST\nState: Open\n[Acknowledge] [Close]\nDemo tickets are for tests.',
    );
    // Bob never talked to Steady: his 1:1 chat was opened through the channel's service URL.
    expect(setup.rig.textsIn(bob).at(-1)).toBe('You own the ticket Printer jam in Ops › #General');

    // 4. A second click on the card as it was (a double click) does not submit it again.
    const again = await setup.rig.submit(alice, form, values, { version: 2 });
    expect(setup.rig.answerText(again)).toBe('This form was already sent.');
    expect(log.submissions).toHaveLength(1);
  });

  test('a form asked for in the 1:1 chat is a card there, and offers that chat as a place to post', async () => {
    await setup.rig.say(alice, 'demo form Toner');
    const form = setup.rig.last(alice);
    expect(form.threadRootId).toBeUndefined();
    const shown = setup.rig.text(form, 'Europe/Berlin');
    expect(shown).not.toContain('For @Alice Adams');
    expect(shown).toContain('[Post in: Your chat with Steady]');
    await setup.rig.submit(alice, form, { Owner: bob, Due: { date: '2026-12-03', time: '08:00' } });
    expect(setup.rig.text(form)).toBe('New ticket\n✓ Submitted by @Alice Adams');
    const personal = conversationRef({ tenantId: TENANT_ID, conversationId: personalConversationId(alice.id) });
    expect(log.submissions.at(-1)).toEqual(
      expect.objectContaining({ title: 'Toner', channel: personal, conversation: personal, due: '2026-12-03T07:00:00.000Z' }),
    );
    expect(setup.rig.text(setup.rig.last(alice), 'Europe/Berlin')).toMatch(
      /^Ticket: Toner\nOwner: @Bob Brown\nDue: Thu, 3 Dec 2026, 08:00 CET/,
    );
  });

  test('only the person a form is for can send it, and Cancel closes it', async () => {
    await setup.rig.say(alice, '@Steady demo form Scanner', incidents);
    const form = setup.rig.last(incidents);
    const refused = await setup.rig.submit(bob, form, { Owner: bob, Due: { date: '2026-12-02', time: '10:00' } });
    expect(setup.rig.answerText(refused)).toBe("This form is Alice Adams's. Run the command yourself to get your own.");
    expect(form.versions).toHaveLength(1);

    const cancelled = await setup.rig.click(alice, form, 'Cancel');
    expect(setup.rig.answerText(cancelled)).toBe('New ticket\nCancelled by @Alice Adams');
    expect(setup.rig.text(form)).toBe('New ticket\nCancelled by @Alice Adams');
  });

  test('a button: the card is updated in place, the answer goes in its thread, a retried click acts once', async () => {
    const ticket = setup.rig.last(general);
    const clickId = '1900000000001';
    const answer = await setup.rig.click(bob, ticket, 'Acknowledge', {}, { activityId: clickId });
    expect(answer.status).toBe(200);
    const now =
      'Ticket: Printer jam\nOwner: @Bob Brown\nDue: Tue, 1 Dec 2026, 04:00 EST\nState: Acknowledged by @Bob Brown\nDemo tickets are for tests.';
    expect(setup.rig.answerText(answer, 'America/New_York')).toBe(now);
    expect(setup.rig.text(ticket, 'America/New_York')).toBe(now);
    expect(ticket.versions).toHaveLength(2);
    expect(log.presses).toEqual([expect.objectContaining({ actionId: 'demo.ack', by: bob.id, message: log.tickets[0] })]);

    const replies = setup.rig.connector.repliesTo(ticket.id);
    expect(replies.map((r) => setup.rig.text(r))).toEqual(['@Bob Brown acknowledged it.']);
    expect(setup.rig.connector.calls.find((c) => c.op === 'send' && c.conversationId === `${ops.id};messageid=${ticket.id}`)).toBeDefined();

    // Teams retries a click it got no answer for with the same activity id.
    expect((await setup.rig.click(bob, ticket, 'Acknowledge', {}, { activityId: clickId, version: 0 })).status).toBe(200);
    expect(setup.rig.connector.repliesTo(ticket.id)).toHaveLength(1);
    expect(log.presses).toHaveLength(1);
  });

  test('a proactive message after the bot was restarted uses the stored reference', async () => {
    await setup.rig.say(alice, 'demo remind 30m Stand-up notes');
    expect(setup.rig.text(setup.rig.last(alice))).toBe('I will remind you in 30m.');
    await setup.rig.restart();
    const before = setup.rig.sentIn(alice).length;
    await setup.rig.advance(31 * 60_000);
    expect(setup.rig.textsIn(alice).slice(before)).toEqual(['Reminder: Stand-up notes']);
    expect(setup.rig.connector.calls.at(-1)).toEqual(
      expect.objectContaining({ op: 'send', conversationId: personalConversationId(alice.id), status: 201 }),
    );
  });

  test('a 429 from the connector is retried after its Retry-After, and sent once', async () => {
    await setup.rig.say(alice, 'demo remind 1m ping');
    const before = setup.rig.sentIn(alice).length;
    setup.rig.connector.failNext('send', 429, { 'Retry-After': '120' });
    await setup.rig.advance(60_000);
    expect(setup.rig.connector.calls.at(-1)).toEqual(expect.objectContaining({ op: 'send', status: 429 }));
    expect(setup.rig.sentIn(alice)).toHaveLength(before);
    await setup.rig.advance(110_000);
    expect(setup.rig.sentIn(alice)).toHaveLength(before);
    await setup.rig.advance(15_000);
    expect(setup.rig.textsIn(alice).slice(before)).toEqual(['Reminder: ping']);
    const job = (await rows(setup.database.db, 'jobs')).find(
      (j) => j.kind === 'demo.remind' && (j.payload as { text: string }).text === 'ping',
    );
    expect(job).toEqual(expect.objectContaining({ state: 'done', attempts: 2 }));
  });

  test('someone Steady has no reference for is NOT_FOUND, with how to install the app for them', async () => {
    await expect(setup.rig.adapter.platform.postDirect(WORKSPACE, carol.id, textMessage('hello'))).rejects.toEqual(
      expect.objectContaining({ code: 'NOT_FOUND', message: expect.stringContaining('search for "Steady" and select Add') }),
    );
    const error = await setup.rig.adapter.platform.postDirect(WORKSPACE, carol.id, textMessage('hello')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformError);

    // Through a workflow: reported once to the person who asked.
    const before = setup.rig.sentIn(alice).length;
    await setup.rig.say(alice, '@Steady demo dm @Carol Cole', incidents, { mentions: [carol] });
    await setup.rig.say(alice, '@Steady demo dm @Carol Cole', incidents, { mentions: [carol] });
    expect(setup.rig.textsIn(alice).slice(before)).toEqual([
      'Steady cannot message this person in Microsoft Teams yet: they have not added the Steady app. Ask them to open Teams, go to Apps, search for "Steady" and select Add (or add Steady to a team they are in; an admin can also install it for everyone in the Teams admin center).',
    ]);
  });

  test('when Steady cannot reach someone 1:1, their private answer goes in the thread, mentioning them', async () => {
    setup.rig.connector.unreachable.add(dave.id);
    await setup.rig.say(dave, '@Steady dance', incidents);
    const answer = setup.rig.last(incidents);
    expect(answer.threadRootId).toBeDefined();
    expect(setup.rig.text(answer)).toBe("@Dave Dunn\n\nI don't know the command /dance. Try /steady help.");
    expect(mentionedIds(answer.versions[0])).toEqual([dave.id]);
  });

  test('with an app id configured, an unauthenticated POST gets 401 and nothing is stored', async () => {
    const erin = person('erin');
    // botbuilder writes the refusal to console.error; it is expected here.
    const consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const secured = await TeamsRig.start({
      database: setup.database,
      connector: setup.rig.connector,
      clock: setup.rig.clock,
      workflows: demoWorkflows(emptyDemoLog()),
      auth: { appId: '00000000-0000-4000-8000-000000000001', password: 'not-a-real-secret' },
    });
    try {
      const calls = setup.rig.connector.calls.length;
      const answer = await secured.send(messageActivity(setup.rig.serviceUrl, erin, PERSONAL, 'help'));
      expect(answer.status).toBe(401);
      const forged = await secured.send(messageActivity(setup.rig.serviceUrl, erin, PERSONAL, 'help'), { authorization: 'Bearer' });
      expect(forged.status).toBe(401);
      expect((await rows(setup.database.db, 'teams_members')).some((m) => m.user_id === erin.id)).toBe(false);
      expect((await rows(setup.database.db, 'people')).some((m) => m.user_id === erin.id)).toBe(false);
      expect(setup.rig.connector.calls.length).toBe(calls);
    } finally {
      consoleError.mockRestore();
      await secured.stop();
    }
  });

  test('removing Steady forgets the conversation; a deleted channel is forgotten', async () => {
    const frank = person('frank');
    await setup.rig.install(frank);
    expect((await rows(setup.database.db, 'teams_conversations')).some((c) => c.user_id === frank.id)).toBe(true);
    await setup.rig.send(installationUpdate(setup.rig.serviceUrl, frank, PERSONAL, 'remove'));
    expect((await rows(setup.database.db, 'teams_conversations')).some((c) => c.user_id === frank.id)).toBe(false);

    const deleted = channel(ops, 'Incidents');
    const update = conversationUpdate(setup.rig.serviceUrl, alice, general, { eventType: 'channelDeleted' });
    await setup.rig.send({ ...update, channelData: { ...update.channelData, channel: { id: channelId(deleted), name: 'Incidents' } } });
    const left = (await rows(setup.database.db, 'teams_conversations')).filter((c) => c.kind === 'channel').map((c) => c.conversation_id);
    expect(left).toEqual([ops.id]);
  });
});
