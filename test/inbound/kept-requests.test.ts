import { sql } from 'kysely';
import { BERLIN_TEAM, ERIN, peopleOf } from '../support/slack-people';
import { SlackRig } from '../support/slack-rig';
import { useSlackRig } from '../support/use-slack-rig';

/**
 * Keep first, then acknowledge, through Steady's real Slack app: a command is stored before Slack
 * hears back, so an instance that dies after the acknowledgement loses nothing (another instance
 * runs it from the stored record) and repeats nothing (a request whose change is in is not run
 * again). Making someone a workspace admin is the change: done twice, it would say so twice.
 */
const FRANK = 'U0FRANK';
const GINA = 'U0GINA';
const users = {
  ...peopleOf(BERLIN_TEAM, ERIN),
  [FRANK]: { name: 'frank', realName: 'Frank Fox', tz: 'Europe/Berlin' },
  [GINA]: { name: 'gina', realName: 'Gina Gray', tz: 'Europe/Berlin' },
};

const first = useSlackRig({ users });
let second: SlackRig;
beforeAll(async () => {
  second = await SlackRig.start({ database: first.database, users });
  first.closeFirst(() => second.close());
});

async function admins(): Promise<string[]> {
  const { rows } = await sql<{ user_id: string }>`select user_id from workspace_admins order by user_id`.execute(first.database.db);
  return rows.map((r) => r.user_id);
}

async function keptRequests(): Promise<{ state: string; attempts: number }[]> {
  const { rows } = await sql<{
    state: string;
    attempts: number;
  }>`select state, attempts from jobs where kind = 'inbound.request' order by id`.execute(first.database.db);
  return rows;
}

describe('a kept request', () => {
  test('is acknowledged, stored and run at once by the instance that took it', async () => {
    expect((await first.rig.as(ERIN).command('/steady', `admins add <@${ERIN}|erin>`)).status).toBe(200);
    expect(first.rig.privateTo(ERIN)).toEqual([
      '@Erin Evans is now a workspace admin (the first one of this workspace: from now on only admins can add more).',
    ]);
    expect(await admins()).toEqual([ERIN]);
    expect(await keptRequests()).toEqual([{ state: 'done', attempts: 1 }]);
  });

  test('whose instance stopped before running it is run by another instance, once, and its person is answered', async () => {
    await first.rig.steady.scheduler.stop(0);
    try {
      expect((await first.rig.as(ERIN).command('/steady', `admins add <@${FRANK}|frank>`)).status).toBe(200);
      expect(first.rig.privateTo(ERIN).at(-1)).toMatch(/^Saved\. Steady is busy; it will be done within a minute \(reference \w+\)\.$/);
      expect(await admins()).toEqual([ERIN]);

      await second.advance(9_000);
      expect(await admins()).toEqual([ERIN]);
      await second.advance(2_000);
      expect(await admins()).toEqual([ERIN, FRANK]);
      // The answer goes to the person through the response_url their command came with.
      expect(first.rig.privateTo(ERIN).at(-1)).toBe('@Frank Fox is now a workspace admin.');
      expect((await keptRequests()).at(-1)).toEqual({ state: 'done', attempts: 1 });
    } finally {
      first.rig.steady.scheduler.resume();
    }
  });

  test('whose change was recorded before its instance died is not run again when taken over', async () => {
    await first.rig.as(ERIN).command('/steady', `admins add <@${GINA}|gina>`);
    const told = first.rig.privateTo(ERIN).length;
    expect(await admins()).toEqual([ERIN, FRANK, GINA]);
    // As if the instance died between committing the change and writing the job's end.
    await sql`update jobs set state = 'running', finished_at = null, locked_until = ${new Date(second.clock.now().getTime() - 1)}
               where id = (select max(id) from jobs where kind = 'inbound.request')`.execute(first.database.db);
    await second.advance(1_000);
    expect(await admins()).toEqual([ERIN, FRANK, GINA]);
    expect(first.rig.privateTo(ERIN)).toHaveLength(told);
    expect((await keptRequests()).at(-1)).toEqual({ state: 'done', attempts: 2 });
  });

  test('that is a repeat (Slack sent the same command again) is acknowledged and not run', async () => {
    const before = (await keptRequests()).length;
    const person = first.rig.as(ERIN);
    await person.command('/steady', `admins remove <@${GINA}|gina>`, { triggerId: 'trigger-repeat' });
    await person.command('/steady', `admins remove <@${GINA}|gina>`, { triggerId: 'trigger-repeat' });
    expect(await admins()).toEqual([ERIN, FRANK]);
    expect(first.rig.privateTo(ERIN).filter((t) => t.includes('Gina'))).toHaveLength(2);
    expect(await keptRequests()).toHaveLength(before + 1);
  });
});
