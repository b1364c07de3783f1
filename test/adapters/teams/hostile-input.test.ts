import { rowCounts } from '../../property/support';
import { PERSONAL, cardActionActivity } from '../../support/fake-teams-activities';
import { BERLIN_TEAM } from '../../support/teams-people';
import { useTeamsRig } from '../../support/use-teams-rig';

/**
 * Bad input through Steady's real Teams app at /api/messages: each is refused with a sentence the
 * person can act on (or, for text PostgreSQL cannot store, read without it), never "Sorry,
 * something went wrong", and nothing it asked for is stored.
 */
const BERLIN = 'Europe/Berlin';
const { alice, bob } = BERLIN_TEAM;

const setup = useTeamsRig({ start: '2026-11-30T09:00:00Z' });
beforeAll(async () => {
  await setup.rig.install(alice);
  await setup.rig.install(bob);
  await setup.rig.say(alice, 'escalate Printer down');
  const raised = await setup.rig.submit(alice, setup.rig.last(alice), {
    Impact: 'The whole floor cannot print',
    Severity: 'SEV2: major',
    Owner: bob,
  });
  expect(raised.status).toBe(200);
});

const generic = (texts: readonly string[]) => texts.filter((t) => /something went wrong/i.test(t));

test('a NUL in `escalate update` is removed: the update is recorded as typed without it', async () => {
  const answer = await setup.rig.say(bob, 'escalate update ESC-1 toner\u0000 ordered');
  expect(answer.status).toBe(200);
  expect(generic(setup.rig.textsIn(bob))).toEqual([]);
  const events = await setup.database.db.selectFrom('escalation_events').select(['kind', 'data']).execute();
  expect(JSON.stringify(events)).toContain('toner ordered');
});

test('a NUL after `handoff who` names no rotation and is refused as such', async () => {
  const before = await rowCounts(setup.database.db);
  await setup.rig.say(alice, 'handoff who x \u0000');
  expect(setup.rig.textsIn(alice).at(-1)).toBe(
    'There is no rotation called "x". There are no rotations yet: create one with /handoff rotation create.',
  );
  expect(await rowCounts(setup.database.db)).toEqual(before);
});

test('a line break after a stand-up name in `standup report` is refused as an unknown stand-up', async () => {
  const before = await rowCounts(setup.database.db);
  const answer = await setup.rig.say(alice, 'standup report daily<br>…');
  expect(answer.status).toBe(200);
  expect(setup.rig.textsIn(alice).at(-1)).toMatch(/stand-up/i);
  expect(generic(setup.rig.textsIn(alice))).toEqual([]);
  expect(await rowCounts(setup.database.db)).toEqual(before);
});

test.each([
  ['a year past any Date', { date: '275760-09-13', time: '00:00' }],
  ['2^53', { date: String(2 ** 53), time: '10:00' }],
  ['1e308', { date: '2026-12-01', time: '1e308' }],
])('a due date of %s comes back on the card with a problem by the field, and changes nothing', async (_what, due) => {
  await setup.rig.say(bob, 'escalate due ESC-1');
  const form = setup.rig.last(bob);
  const before = await rowCounts(setup.database.db);
  const answer = await setup.rig.submit(bob, form, { 'New due time': due, Reason: 'Waiting for parts' });
  expect(answer.status).toBe(200);
  expect(setup.rig.answerText(answer, BERLIN)).toMatch(/New due time: the (date|time) should look like/);
  expect(await rowCounts(setup.database.db)).toEqual(before);
});

test.each([
  ['a form id that is no form', 'steady.form', { form: 'not-a-uuid' }],
  ['a button with no action', 'steady.button', { value: 'x' }],
  ['a verb Steady never puts on a card', 'someone.else', { anything: 1 }],
])('card data with %s is answered with a sentence and 200, and changes nothing', async (_what, verb, data) => {
  const before = await rowCounts(setup.database.db);
  const answer = await setup.rig.send(cardActionActivity(setup.rig.serviceUrl, alice, PERSONAL, 'card-1', { verb, data }));
  expect(answer.status).toBe(200);
  expect(JSON.stringify(answer.body)).toContain('That button is from an older version of Steady. Run the command again.');
  expect(await rowCounts(setup.database.db)).toEqual(before);
});
