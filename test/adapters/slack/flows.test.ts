import { METHOD_SCOPES } from '../../../adapters/slack/app-config';
import { withGeneral } from '../../support/with-general';
import { rows } from '../../support/database';
import { ALICE, BOB } from '../../support/slack-people';
import { useSlackRig } from '../../support/use-slack-rig';
import { ProbeState, probeWorkflow } from './probe-workflow';

const OPS = 'C0OPS';

const probe = new ProbeState();
const setup = useSlackRig({
  start: '2026-11-30T08:00:00Z',
  users: {
    [ALICE]: { name: 'alice', realName: 'Alice Adams', displayName: 'alice', tz: 'Europe/Berlin' },
    [BOB]: { name: 'bob', realName: 'Bob Brown', tz: 'America/Chicago' },
  },
  workflows: (services) => withGeneral(services, [probeWorkflow(services, probe)]),
  channels: { [OPS]: 'ops' },
});

describe('/steady through Slack', () => {
  test('tz: the zone Slack reports for the person, then the one they set', async () => {
    await setup.rig.as(ALICE).command('/steady', 'tz');
    expect(setup.rig.privateTo(ALICE).at(-1)).toBe('Your time zone is Europe/Berlin. It is now Mon, 30 Nov 2026, 09:00 CET for you.');
    await setup.rig.as(ALICE).command('/steady', 'tz Asia/Tokyo');
    expect(setup.rig.privateTo(ALICE).at(-1)).toBe('Your time zone is now Asia/Tokyo. It is Mon, 30 Nov 2026, 17:00 GMT+9 for you.');
    await setup.rig.as(ALICE).command('/steady', 'tz Mars/Olympus');
    expect(setup.rig.privateTo(ALICE).at(-1)).toBe(
      '"Mars/Olympus" is not a time zone I know. Use an IANA name such as Europe/Berlin, America/New_York or Asia/Tokyo.',
    );
    await setup.rig.as(ALICE).command('/steady', 'tz Europe/Berlin');
  });

  test("help lists every workflow's commands; an unknown command says what to do", async () => {
    await setup.rig.as(BOB).command('/steady', 'help');
    expect(setup.rig.privateTo(BOB).at(-1)).toContain('/probe form|slow|later #channel|whoami');
    await setup.rig.as(BOB).command('/nope', 'x');
    expect(setup.rig.privateTo(BOB).at(-1)).toBe("I don't know the command /nope. Try /steady help.");
  });

  test('a command whose answer is not ready within 1.5 s is acknowledged then; the answer follows through the response_url', async () => {
    const started = Date.now();
    const res = await setup.rig.as(BOB).command('/probe', 'slow', { settle: false });
    expect(res).toEqual({ status: 200, text: '' });
    expect(Date.now() - started).toBeLessThan(2500);
    expect(setup.rig.privateTo(BOB)).not.toContain('Done at last.');
    probe.open();
    await setup.rig.idle();
    expect(setup.rig.privateTo(BOB).at(-1)).toBe('Done at last.');
  });

  test('names and zones come from users.info, cached for ten minutes', async () => {
    const lookups = () => setup.rig.slack.callsOf('users.info').filter((c) => c.args.user === BOB).length;
    const before = lookups();
    expect(await setup.rig.adapter.platform.lookupUser(`slack:${setup.rig.teamId}`, BOB)).toEqual({
      userId: BOB,
      displayName: 'Bob Brown',
      timeZone: 'America/Chicago',
      isBot: false,
      deleted: false,
    });
    await setup.rig.adapter.platform.lookupUser(`slack:${setup.rig.teamId}`, BOB);
    expect(lookups() - before).toBeLessThanOrEqual(1);
    const cachedCount = lookups();
    setup.rig.clock.advance(11 * 60_000);
    await setup.rig.adapter.platform.lookupUser(`slack:${setup.rig.teamId}`, BOB);
    expect(lookups()).toBe(cachedCount + 1);
    expect(await setup.rig.adapter.platform.lookupUser(`slack:${setup.rig.teamId}`, 'U0NOBODY')).toBeUndefined();
  });
});

describe('a workflow through Slack: form, card, buttons, thread, update, DM, home', () => {
  test("a form opens as a modal with the command's trigger id; invalid input is shown on its field", async () => {
    await setup.rig.as(ALICE, OPS).command('/probe', 'form', { triggerId: 'trigger-U0ALICE-form-1' });
    const modal = setup.rig.lastModal(ALICE)!;
    expect(modal.triggerId).toBe('trigger-U0ALICE-form-1');
    expect(modal.view.callback_id).toBe('probe.raise');
    expect(setup.rig.visible(modal.view.blocks)).toBe(
      [
        'Title: <plain_text_input>',
        'Owner: <users_select>',
        'Due: <datetimepicker>',
        'Severity: <static_select>',
        'Tell the owner (optional): <checkboxes>',
      ].join('\n'),
    );

    const past = await setup.rig.as(ALICE).submit({ title: 'Printer down', owner: BOB, due: '2026-11-30T07:00:00Z' });
    expect(past).toEqual({ status: 200, body: { response_action: 'errors', errors: { due: 'The due time must be in the future.' } } });
    const empty = await setup.rig.as(ALICE).submit({ title: '  ', owner: null, due: '2026-12-01T10:00:00Z' });
    expect(empty.body).toEqual({ response_action: 'errors', errors: { title: 'Give it a title.', owner: 'Choose an owner.' } });
    // The same invalid values again are checked again, not taken for a repeat.
    expect((await setup.rig.as(ALICE).submit({ title: '  ', owner: null, due: '2026-12-01T10:00:00Z' })).body).toMatchObject({
      response_action: 'errors',
    });
    expect(setup.rig.postsIn(OPS)).toEqual([]);
  });

  test('a valid submission closes the modal, posts the card where the command was typed and tells the raiser', async () => {
    const done = await setup.rig
      .as(ALICE)
      .submit({ title: 'Printer down', owner: BOB, due: '2026-12-01T10:00:00Z', severity: 'high', notify: true });
    expect(done).toEqual({ status: 200, body: undefined });
    const [card] = setup.rig.postsIn(OPS);
    expect(setup.rig.visible(card!.blocks)).toBe(
      ['Probe: Printer down', 'Owner: @Bob Brown', 'Due: Tue, 1 Dec 2026, 11:00 CET', '[Acknowledge] [Ping]'].join('\n'),
    );
    expect(card!.text).toBe('Probe: Printer down');
    expect(card!.blocks[1].fields[1].text).toBe('*Due*\n<!date^1796119200^{date_short_pretty} {time}|Tue, 1 Dec 2026, 11:00 CET>');
    expect(setup.rig.dmsTo(ALICE).at(-1)).toBe('Raised Printer down.');

    // Submitting the same modal twice (before it closed) raises it once.
    await setup.rig.as(ALICE).submit({ title: 'Printer down', owner: BOB, due: '2026-12-01T10:00:00Z', severity: 'high', notify: true });
    expect(setup.rig.postsIn(OPS)).toHaveLength(1);
  });

  test('a double-clicked button acts once; the card is updated, the thread told, the raiser DMed', async () => {
    const [card] = setup.rig.postsIn(OPS);
    const first = (Date.now() / 1000).toFixed(6);
    const second = (Date.now() / 1000 + 0.4).toFixed(6);
    await Promise.all([
      setup.rig.as(BOB, OPS).press('Acknowledge', card!, { actionTs: first }),
      setup.rig.as(BOB, OPS).press('Acknowledge', card!, { actionTs: second }),
    ]);
    expect(probe.acks).toBe(1);
    expect(setup.rig.slack.callsOf('chat.update')).toHaveLength(1);
    const updated = setup.rig.postsIn(OPS)[0]!;
    expect(updated.updates).toBe(1);
    expect(setup.rig.visible(updated.blocks)).toBe(
      ['Probe: Printer down', 'Owner: @Bob Brown', 'Due: Tue, 1 Dec 2026, 11:00 CET', 'Acknowledged by @Bob Brown'].join('\n'),
    );
    expect(setup.rig.repliesTo(updated).map((m) => setup.rig.visible(m.blocks))).toEqual(['Acknowledged by @Bob Brown.']);
    expect(setup.rig.dmsTo(ALICE).at(-1)).toBe('Your probe Printer down was acknowledged by @Bob Brown.');
    expect(setup.rig.privateTo(BOB)).not.toContain('Already acknowledged.');
  });

  test('pressing a button again later does act again; a reply to a reply stays in the thread', async () => {
    await setup.rig.as(ALICE).in(OPS).command('/probe', 'form');
    await setup.rig.as(ALICE).submit({ title: 'Badge reader', owner: ALICE, due: '2026-12-02T10:00:00Z' });
    const card = setup.rig.postsIn(OPS).at(-1)!;
    const t = Date.now() / 1000;
    await setup.rig.as(BOB, OPS).press('Ping', card, { actionTs: t.toFixed(6) });
    await setup.rig.as(BOB, OPS).press('Ping', card, { actionTs: (t + 0.2).toFixed(6) });
    await setup.rig.as(BOB, OPS).press('Ping', card, { actionTs: (t + 10).toFixed(6) });
    expect(probe.pings).toBe(2);
    expect(setup.rig.repliesTo(card).map((m) => setup.rig.visible(m.blocks))).toEqual(['Ping from @Bob Brown', 'Ping from @Bob Brown']);

    const reply = setup.rig.repliesTo(card)[0]!;
    const replyRef = `slack:${setup.rig.teamId}:${OPS}:${reply.ts}:${card.ts}`;
    await setup.rig.adapter.platform.post(
      `slack:${setup.rig.teamId}:${OPS}`,
      { blocks: [{ type: 'section', text: 'under the same thread' }] },
      { threadOf: replyRef },
    );
    expect(setup.rig.repliesTo(card).at(-1)!.threadTs).toBe(card.ts);
  });

  test('a refusal from a button is told privately, through the response_url', async () => {
    const [card] = setup.rig.postsIn(OPS);
    const stale = {
      ...card!,
      blocks: setup.rig.slack.callsOf('chat.postMessage').find((c) => c.args.text === 'Probe: Printer down')!.args.blocks,
    };
    await setup.rig.as(ALICE, OPS).press('Acknowledge', stale);
    expect(setup.rig.privateTo(ALICE).at(-1)).toBe('Already acknowledged.');
  });

  test("App Home shows what is the person's, and its buttons work and redraw it", async () => {
    await setup.rig.as(ALICE).openHome();
    const home = setup.rig.home(ALICE)!;
    expect(setup.rig.visible(home)).toMatch(/^Probes you own: 1\n\[Acknowledge all\]\nUpdated \d\d:\d\d CET$/);
    await setup.rig.as(ALICE).press('Acknowledge all', { home: true });
    expect(setup.rig.dmsTo(ALICE).at(-1)).toBe('All acknowledged.');
    expect(setup.rig.visible(setup.rig.home(ALICE)!)).toMatch(
      /^Nothing needs you right now\. Try \/steady help to see what Steady does\.\nUpdated/,
    );
  });

  test('/steady home answers with the same home, privately', async () => {
    await setup.rig.as(BOB).command('/steady', 'home');
    expect(setup.rig.privateTo(BOB).at(-1)).toBe('Nothing needs you right now. Try /steady help to see what Steady does.');
  });

  test('a direct message to the bot reaches the workflows; the answer comes in the DM', async () => {
    await setup.rig.as(BOB).dm('echo hello &lt;world&gt;');
    expect(setup.rig.dmsTo(BOB).at(-1)).toBe('You said: hello <world>');
  });

  test("a modal whose handling outlasts Slack's 3 seconds is closed in time; its errors come by DM", async () => {
    probe.gate = new Promise<void>((resolve) => setTimeout(resolve, 3000));
    await setup.rig.as(BOB).command('/probe', 'slowform');
    const started = Date.now();
    const res = await setup.rig.as(BOB).submit({ title: 'x' }, undefined, { settle: false });
    const took = Date.now() - started;
    expect(res).toEqual({ status: 200, body: undefined });
    expect(took).toBeLessThan(3000);
    await setup.rig.idle();
    expect(setup.rig.dmsTo(BOB).at(-1)).toBe('Your form was not saved. Too slow to say. Please run the command again.');
  });
});

describe('manners under failure', () => {
  test('when the response_url has expired and the bot is not in the channel, the answer comes by DM', async () => {
    setup.rig.slack.channelsWithoutBot.add('C0PRIVATE');
    let open!: () => void;
    probe.gate = new Promise<void>((resolve) => (open = resolve));
    // Answered after the acknowledgement (so not in it), when the response_url no longer works.
    const res = await setup.rig.as(BOB, 'C0PRIVATE').command('/probe', 'slow', { expiredResponseUrl: true, settle: false });
    expect(res.text).toBe('');
    open();
    await setup.rig.idle();
    expect(setup.rig.slack.callsOf('chat.postEphemeral').at(-1)!.args.channel).toBe('C0PRIVATE');
    expect(setup.rig.dmsTo(BOB).at(-1)).toBe('Done at last.');
  });

  test('a 429 inside a job is retried by the scheduler after Retry-After, and nothing is lost', async () => {
    setup.rig.slack.failNext('chat.postMessage', { status: 429, retryAfter: 120 });
    await setup.rig.as(ALICE, OPS).command('/probe', `later <#${OPS}|ops>`);
    expect(setup.rig.privateTo(ALICE).at(-1)).toBe('I will post in #ops.');
    const posted = () => setup.rig.postsIn(OPS).filter((m) => m.text === 'A scheduled hello');

    await setup.rig.advance(0);
    expect(setup.rig.slack.callsOf('chat.postMessage').filter((c) => c.args.text === 'A scheduled hello')).toHaveLength(1);
    expect(posted()).toHaveLength(0);
    await setup.rig.advance(119_000);
    expect(posted()).toHaveLength(0);
    await setup.rig.advance(1_000);
    expect(posted()).toHaveLength(1);
    const [job] = (await rows(setup.database.db, 'jobs')).filter((j) => j.kind === 'probe.post');
    expect(job).toMatchObject({ state: 'done', attempts: 2 });
  });

  test('a permanent error surfaces as PlatformError NOT_FOUND; the job fails at once and the person is told once', async () => {
    setup.rig.slack.missingChannels.add('C0GONE');
    await expect(
      setup.rig.adapter.platform.post(`slack:${setup.rig.teamId}:C0GONE`, { blocks: [{ type: 'section', text: 'hello' }] }),
    ).rejects.toMatchObject({
      name: 'PlatformError',
      code: 'NOT_FOUND',
      platformCode: 'channel_not_found',
      retryable: false,
    });

    await setup.rig.as(ALICE, OPS).command('/probe', 'later <#C0GONE>');
    await setup.rig.as(ALICE, OPS).command('/probe', 'later <#C0GONE>');
    await setup.rig.advance(60 * 60_000);
    const jobs = (await rows(setup.database.db, 'jobs')).filter(
      (j) => j.kind === 'probe.post' && (j.payload as { channel: string }).channel.endsWith('C0GONE'),
    );
    expect(jobs.map((j) => [j.state, j.attempts])).toEqual([
      ['failed', 1],
      ['failed', 1],
    ]);
    const told = setup.rig.dmsTo(ALICE).filter((t) => t.startsWith('I could not post in'));
    expect(told).toEqual(['I could not post in #C0GONE (NOT_FOUND). Invite me there or pick another channel.']);
  });

  test('a person who has left cannot be sent a DM: NOT_FOUND', async () => {
    setup.rig.slack.users.set('U0GONE', { name: 'gone', deleted: true });
    await expect(
      setup.rig.adapter.platform.postDirect(`slack:${setup.rig.teamId}`, 'U0GONE', { blocks: [{ type: 'section', text: 'hi' }] }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
      platformCode: 'account_inactive',
    });
  });

  test('only the Web API methods the manifest has scopes for were called', async () => {
    const called = [...new Set(setup.rig.slack.calls.map((c) => c.method))].sort();
    expect(called.filter((m) => !(m in METHOD_SCOPES))).toEqual([]);
  });
});
