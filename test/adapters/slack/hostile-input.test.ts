import { GENERAL } from '../../support/slack-rig';
import { ALICE, BERLIN_TEAM, BOB, peopleOf } from '../../support/slack-people';
import { useSlackRig } from '../../support/use-slack-rig';
import { rowCounts } from '../../property/support';

/**
 * Bad input through Steady's real Slack app, signed as Slack signs it: each is refused with a
 * sentence the person can act on (or, for text PostgreSQL cannot store, read without it), never
 * "Sorry, something went wrong", and nothing it asked for is stored. Then the transport: requests
 * no Slack would send are answered at once with 401 or 400.
 */
const setup = useSlackRig({ start: '2026-11-30T09:00:00Z', users: peopleOf(BERLIN_TEAM, ALICE, BOB) });
beforeAll(async () => {
  await setup.rig.as(ALICE).command('/escalate', 'Printer down');
  const raised = await setup.rig.as(ALICE).submit({ impact: 'The whole floor cannot print', severity: 'SEV2', owner: BOB });
  expect(raised).toEqual({ status: 200, body: undefined });
});

const generic = (texts: readonly string[]) => texts.filter((t) => /something went wrong/i.test(t));

describe('bad input through Slack gets a refusal, never an internal error', () => {
  test('a NUL in /escalate update is removed: the update is recorded as typed without it', async () => {
    await setup.rig.as(BOB).command('/escalate', 'update ESC-1 toner\u0000 ordered');
    expect(generic(setup.rig.privateTo(BOB))).toEqual([]);
    const events = await setup.database.db.selectFrom('escalation_events').select(['kind', 'data']).execute();
    expect(JSON.stringify(events)).toContain('toner ordered');
  });

  test('a NUL after /handoff who names no rotation and is refused as such', async () => {
    const before = await rowCounts(setup.database.db);
    await setup.rig.as(ALICE).command('/handoff', 'who x \u0000');
    expect(setup.rig.privateTo(ALICE).at(-1)).toBe(
      'There is no rotation called "x". There are no rotations yet: create one with /handoff rotation create.',
    );
    expect(await rowCounts(setup.database.db)).toEqual(before);
  });

  test('a line break after a stand-up name in /standup report is refused as an unknown stand-up', async () => {
    const before = await rowCounts(setup.database.db);
    await setup.rig.as(ALICE).command('/standup', 'report daily\n…');
    expect(setup.rig.privateTo(ALICE).at(-1)).toMatch(/stand-up/i);
    expect(generic(setup.rig.privateTo(ALICE))).toEqual([]);
    expect(await rowCounts(setup.database.db)).toEqual(before);
  });

  test.each([
    ['2^53', 2 ** 53],
    ['1e308', 1e308],
    ['a negative time', -1],
    ['a fraction', 1764500000.5],
  ])('a date picker value of %s gets an error under its field, at once, and changes nothing', async (_what, seconds) => {
    await setup.rig.as(BOB).command('/escalate', 'due ESC-1');
    const before = await rowCounts(setup.database.db);
    const started = Date.now();
    const answer = await setup.rig
      .as(BOB)
      .submit({ reason: 'Waiting for parts' }, undefined, { rawState: { due: { type: 'datetimepicker', selected_date_time: seconds } } });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(answer).toEqual({
      status: 200,
      body: { response_action: 'errors', errors: { due: 'Choose a date and time with the picker.' } },
    });
    expect(await rowCounts(setup.database.db)).toEqual(before);
  });

  test.each([
    ['empty', ''],
    ['an empty object', '{}'],
    ['a state that is no id', '{"state":"1 or 1=1"}'],
    ['an id past bigint', '{"state":"99999999999999999999"}'],
    ['garbage', 'not json at all'],
  ])('an escalation form whose private_metadata is %s is refused with a sentence and changes nothing', async (_what, metadata) => {
    await setup.rig.as(BOB).command('/escalate', 'update ESC-1');
    const before = await rowCounts(setup.database.db);
    const answer = await setup.rig.as(BOB).submit({ text: 'Parts arrive tomorrow' }, undefined, { privateMetadata: metadata });
    expect(answer.status).toBe(200);
    expect(setup.rig.dmsTo(BOB).at(-1)).toBe(
      'That form is out of date or was changed on its way back to Steady, so nothing was saved. Please start again from the command.',
    );
    expect(generic(setup.rig.dmsTo(BOB))).toEqual([]);
    expect(await rowCounts(setup.database.db)).toEqual(before);
  });
});

describe('Slack transport: what no Slack would send is answered at once', () => {
  const helpCommand = () =>
    new URLSearchParams({
      team_id: setup.rig.teamId,
      channel_id: GENERAL,
      user_id: ALICE,
      command: '/steady',
      text: 'help',
      response_url: setup.rig.slack.responseUrl('future'),
      trigger_id: 'trigger-future',
    }).toString();

  test('a correctly signed request timestamped ten minutes in the future gets 401 and is not run', async () => {
    const before = await rowCounts(setup.database.db);
    const future = await setup.rig.post(helpCommand(), 'application/x-www-form-urlencoded', {
      timestamp: Math.floor(Date.now() / 1000) + 10 * 60,
    });
    expect(future.status).toBe(401);
    expect(setup.rig.slack.responses.filter((r) => r.id === 'future')).toEqual([]);
    expect(await rowCounts(setup.database.db)).toEqual(before);
    // Four minutes ahead is within Slack's allowance for clocks that differ.
    const ahead = await setup.rig.post(helpCommand(), 'application/x-www-form-urlencoded', {
      timestamp: Math.floor(Date.now() / 1000) + 4 * 60,
    });
    expect(ahead.status).toBe(200);
  });

  test.each([
    ['payload=null', new URLSearchParams({ payload: 'null' }).toString(), 'application/x-www-form-urlencoded'],
    ['payload=[1,2,3]', new URLSearchParams({ payload: '[1,2,3]' }).toString(), 'application/x-www-form-urlencoded'],
    ['payload that is not JSON', new URLSearchParams({ payload: '{"type":' }).toString(), 'application/x-www-form-urlencoded'],
    [
      'an interaction type Steady does not serve',
      new URLSearchParams({ payload: JSON.stringify({ type: 'message_action', team: { id: 'T0ACME' } }) }).toString(),
      'application/x-www-form-urlencoded',
    ],
    ['a form body that is no command', 'hello=world', 'application/x-www-form-urlencoded'],
    ['a JSON body that is no event', '[1,2,3]', 'application/json'],
    ['a JSON body that does not parse', '{"type":', 'application/json'],
  ] as const)('a signed %s gets 400 at once', async (_what, body, type) => {
    const before = await rowCounts(setup.database.db);
    const started = Date.now();
    const answer = await setup.rig.post(body, type);
    expect(answer.status).toBe(400);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await rowCounts(setup.database.db)).toEqual(before);
  });

  test('the same bodies unsigned get 401, so nothing is learnt without the secret', async () => {
    const answer = await setup.rig.post(new URLSearchParams({ payload: 'null' }).toString(), 'application/x-www-form-urlencoded', {
      secret: 'wrong',
    });
    expect(answer.status).toBe(401);
  });
});
