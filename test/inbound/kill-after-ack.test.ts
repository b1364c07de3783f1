import { request } from 'node:http';
import { Client } from 'pg';
import { SteadyInstance } from '../../bench/support/steady-instance';
import { SIGNING_SECRET, TEAM, instanceEnv } from '../../bench/support/standup-wave';
import { signedCommand } from '../../bench/support/command-load';
import { FakeSlackApiProcess } from '../support/fake-slack-api-process';
import { generateUsers, type ResponseArrival } from '../support/fake-slack-api';
import { PgCluster, pgClusterAvailable } from '../support/pg-cluster';

/**
 * A Steady process killed with SIGKILL right after it acknowledged a command, before it could
 * handle it (Slack answers slowly, so the handling is still waiting for Slack): the command was
 * kept, so the next Steady started on the database handles it, once, and its person gets the
 * answer through the command's response_url.
 */
// Half a minute of processes and waiting: run in CI's PostgreSQL pass only, like the soak.
const describeWithServer = pgClusterAvailable() && process.env.DATABASE_URL ? describe : describe.skip;

const [erin, frank] = generateUsers(2);

function post(port: number, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/slack/events', method: 'POST', headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function admins(url: string): Promise<string[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ user_id: string }>('select user_id from workspace_admins order by user_id')).rows.map((r) => r.user_id);
  } finally {
    await client.end();
  }
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, seconds: number): Promise<T> {
  const until = Date.now() + seconds * 1000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
}

describeWithServer('a Steady killed right after acknowledging a command', () => {
  let cluster: PgCluster;
  let fake: FakeSlackApiProcess;
  const instances: SteadyInstance[] = [];
  beforeAll(async () => {
    cluster = await PgCluster.create();
    fake = await FakeSlackApiProcess.start({ users: [erin!, frank!], faults: { latencyMs: 800 } });
  }, 60_000);
  afterAll(async () => {
    for (const instance of instances) await instance.kill().catch(() => undefined);
    await fake?.close();
    await cluster?.destroy();
  });

  test('loses nothing: the next instance handles it once and answers its person', async () => {
    const env = instanceEnv({ databaseUrl: cluster.url, apiUrl: fake.apiUrl, postsPerSecond: 20 });
    const first = await SteadyInstance.start(env);
    instances.push(first);
    const command = signedCommand(
      {
        port: first.port,
        signingSecret: SIGNING_SECRET,
        teamId: TEAM,
        channelId: 'C0OPS',
        command: '/steady',
        text: () => `admins add <@${frank!.id}|${frank!.name}>`,
        userId: () => erin!.id,
        responseUrl: (id) => fake.responseUrl(id),
        runId: 'kill',
      },
      0,
    );
    expect(await post(first.port, command.body, command.headers)).toBe(200);
    await first.kill();
    expect(await admins(cluster.url)).toEqual([]);

    const second = await SteadyInstance.start(env);
    instances.push(second);
    expect(
      await eventually(
        () => admins(cluster.url),
        (a) => a.length > 0,
        40,
      ),
    ).toEqual([frank!.id]);
    const answers: ResponseArrival[] = [];
    await eventually(
      async () => answers.push(...(await fake.takeResponses())),
      () => answers.length > 0,
      20,
    );
    // Long enough for a second answer, had the command been handled twice.
    await new Promise((r) => setTimeout(r, 2_000));
    answers.push(...(await fake.takeResponses()));
    expect(answers.map((a) => [a.id, a.text])).toEqual([
      [command.id, `<@${frank!.id}> is now a workspace admin (the first one of this workspace: from now on only admins can add more).`],
    ]);
    expect(await admins(cluster.url)).toEqual([frank!.id]);
  }, 120_000);
});
