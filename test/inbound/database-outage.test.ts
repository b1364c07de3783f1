import { sql } from 'kysely';
import { OwnClusterDatabase } from '../support/own-cluster';
import { pgClusterAvailable } from '../support/pg-cluster';
import { BERLIN_TEAM, BOB, ERIN, peopleOf } from '../support/slack-people';
import { useSlackRig } from '../support/use-slack-rig';

/**
 * PostgreSQL stopped under a running Steady (a cluster of the test's own), as an operator's outage:
 * every command and form submission is still answered within Slack's 3 seconds, saying nothing was
 * done, a modal stays open with that sentence under its first field, and once the database is back
 * the same things work without a restart.
 */
const describeWithServer = pgClusterAvailable() ? describe : describe.skip;

const NOT_KEPT =
  /^Steady cannot reach its database right now, so nothing was done or saved\. Please try again in a minute \(reference \w+\)\.$/;

describeWithServer('a database outage, through Slack', () => {
  const own = new OwnClusterDatabase();
  const setup = useSlackRig({
    openDatabase: own.open,
    timeout: 60_000,
    users: peopleOf(BERLIN_TEAM, ERIN, BOB),
  });
  afterAll(async () => {
    await own.destroy();
  });

  async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
    const started = performance.now();
    const result = await work();
    return { result, ms: performance.now() - started };
  }

  test('commands and form submissions are answered while it is down, and work again once it is back', async () => {
    await setup.rig.as(ERIN).command('/escalate', 'Printer down');
    const modal = setup.rig.lastModal(ERIN)!;
    expect(modal.view.callback_id).toBe('escalation.raise');

    await own.cluster.stop({ mode: 'immediate' });

    const list = await timed(() => setup.rig.as(ERIN).command('/escalate', 'list'));
    expect(list.result.status).toBe(200);
    expect(list.ms).toBeLessThan(3_000);
    expect(setup.rig.privateTo(ERIN).at(-1)).toMatch(NOT_KEPT);

    const change = await timed(() => setup.rig.as(ERIN).command('/escalate', `admins add <@${BOB}|bob>`));
    expect(change.result.status).toBe(200);
    expect(change.ms).toBeLessThan(3_000);
    expect(setup.rig.privateTo(ERIN).at(-1)).toMatch(NOT_KEPT);

    const values = { impact: 'The whole floor cannot print', recommendation: 'Buy a new one', severity: 'SEV2', owner: BOB };
    const refused = await timed(() => setup.rig.as(ERIN).submit(values, modal));
    expect(refused.ms).toBeLessThan(3_000);
    expect(refused.result.status).toBe(200);
    expect(refused.result.body.response_action).toBe('errors');
    expect(Object.values(refused.result.body.errors)).toEqual([
      expect.stringMatching(/^Steady cannot reach its database right now, so nothing was done or saved\./),
    ]);

    await own.cluster.start();

    expect(await setup.rig.as(ERIN).submit(values, modal)).toEqual({ status: 200, body: undefined });
    const { rows } = await sql<{ title: string; owner_id: string }>`select title, owner_id from escalations`.execute(setup.database.db);
    expect(rows).toEqual([{ title: 'Printer down', owner_id: BOB }]);
    await setup.rig.as(ERIN).command('/escalate', 'list');
    expect(setup.rig.privateTo(ERIN).at(-1)).toContain('Printer down');
  }, 60_000);
});
