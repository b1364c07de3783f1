import { sql } from 'kysely';
import { channel, person, team } from '../support/fake-teams-activities';
import { OwnClusterDatabase } from '../support/own-cluster';
import { pgClusterAvailable } from '../support/pg-cluster';
import { useTeamsRig } from '../support/use-teams-rig';

/**
 * PostgreSQL stopped under a running Teams app (a cluster of the test's own): a person typing to
 * Steady in their 1:1 chat is still answered, through the conversation their message came from,
 * that nothing was done; once the database is back the same command works without a restart.
 */
const describeWithServer = pgClusterAvailable() ? describe : describe.skip;

const NOT_KEPT =
  /^Steady cannot reach its database right now, so nothing was done or saved\. Please try again in a minute \(reference \w+\)\.$/;
const erin = person('erin', { name: 'Erin Evans', zone: 'Europe/Berlin' });
const frank = person('frank', { name: 'Frank Fox', zone: 'Europe/Berlin' });
const ops = team('Ops');
const general = channel(ops, 'General');

describeWithServer('a database outage, through Teams', () => {
  const own = new OwnClusterDatabase();
  const setup = useTeamsRig({
    openDatabase: own.open,
    timeout: 60_000,
    start: '2026-11-30T09:00:00Z',
  });
  beforeAll(async () => {
    await setup.rig.install(erin);
    await setup.rig.install(frank);
    await setup.rig.addToTeam(ops, erin, ['General']);
  });
  afterAll(async () => {
    await own.destroy();
  });

  test('a command and a look are answered while it is down, in the 1:1 chat and in a channel, and work again once it is back', async () => {
    await own.cluster.stop({ mode: 'immediate' });

    expect((await setup.rig.say(erin, 'escalate list')).status).toBe(200);
    expect(setup.rig.textsIn(erin).at(-1)).toMatch(NOT_KEPT);
    expect((await setup.rig.say(erin, `escalate admins add @Frank Fox`, undefined, { mentions: [frank] })).status).toBe(200);
    expect(setup.rig.textsIn(erin).at(-1)).toMatch(NOT_KEPT);
    // In a channel the answer goes to the thread, naming the person (their 1:1 chat needs the database).
    expect((await setup.rig.say(erin, '@Steady escalate list', general)).status).toBe(200);
    expect(setup.rig.textsIn(general).at(-1)).toMatch(
      /^@Erin Evans\s+Steady cannot reach its database right now, so nothing was done or saved\./,
    );

    await own.cluster.start();

    await setup.rig.say(erin, 'escalate admins add @Frank Fox', undefined, { mentions: [frank] });
    expect(setup.rig.textsIn(erin).at(-1)).toContain('is now a workspace admin');
    const { rows } = await sql<{ user_id: string }>`select user_id from workspace_admins`.execute(setup.database.db);
    expect(rows.map((r) => r.user_id)).toEqual([frank.id]);
  }, 60_000);
});
