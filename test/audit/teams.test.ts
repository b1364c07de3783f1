import { BERLIN_TEAM } from '../support/teams-people';
import { useTeamsRig } from '../support/use-teams-rig';

/**
 * `/steady audit` and `/steady forget` typed in Teams (as words, with @mentions), behind /api/messages
 * with Steady's real workflows: the core's answer rendered by the Teams adapter, and the adapter's
 * own rows about the forgotten person (profile, 1:1 conversation) erased with the rest.
 */
const BERLIN = 'Europe/Berlin';
const { alice, bob } = BERLIN_TEAM;

const setup = useTeamsRig({ start: '2026-11-24T09:00:00Z', defaultTimeZone: BERLIN });
beforeAll(async () => {
  await setup.rig.install(alice);
  await setup.rig.install(bob);
});

test('in Teams: an admin reads the audit trail, a member is refused, and a person is forgotten with the adapter’s rows about them', async () => {
  await setup.rig.say(alice, 'escalate admins add @Alice Adams', undefined, { mentions: [alice] });
  await setup.rig.say(alice, 'escalate settings chase 2h');
  await setup.rig.say(alice, 'steady audit');
  expect(setup.rig.textsIn(alice, BERLIN).at(-1)).toMatch(
    /^Admin changes in the last 7 days, newest first:\nTue, 24 Nov 2026, 10:00 CET · @Alice Adams · settings\.changed escalation settings\n {3}chaseMinutes: \(none\) → 120/,
  );
  await setup.rig.say(bob, 'steady audit');
  expect(setup.rig.textsIn(bob).at(-1)).toBe('Only workspace admins can read the audit trail. Ask one of them: @Alice Adams.');

  const db = setup.database.db;
  expect(await db.selectFrom('teams_members').select('user_id').where('user_id', '=', bob.id).execute()).toHaveLength(1);
  await setup.rig.say(alice, 'steady forget @Bob Brown confirm', undefined, { mentions: [bob] });
  expect(setup.rig.textsIn(alice).at(-1)).toMatch(/^Done: that person is forgotten\. Erased 0 stand-up answers/);
  expect(await db.selectFrom('teams_members').select('user_id').where('user_id', '=', bob.id).execute()).toEqual([]);
  expect(await db.selectFrom('teams_conversations').select('user_id').where('user_id', '=', bob.id).execute()).toEqual([]);
  expect(await db.selectFrom('people').select('user_id').where('user_id', '=', bob.id).execute()).toEqual([]);
});
