import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { PgCluster, pgClusterAvailable } from '../support/pg-cluster';

// Needs the PostgreSQL server binaries (CI and the dev machines have them); independent of DATABASE_URL.
const describeWithServer = pgClusterAvailable() ? describe : describe.skip;

async function query(url: string, text: string): Promise<unknown[]> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

describeWithServer('a throwaway PostgreSQL cluster', () => {
  let cluster: PgCluster | undefined;
  afterAll(() => cluster?.destroy());

  test('serves its database, refuses connections while stopped, recovers, and leaves nothing behind', async () => {
    cluster = await PgCluster.create();
    expect(cluster.url).toBe(`postgres://postgres@127.0.0.1:${cluster.port}/test`);
    expect(await query(cluster.url, 'select current_database() as db')).toEqual([{ db: 'test' }]);

    const held = new Client({ connectionString: cluster.url });
    held.on('error', () => undefined);
    await held.connect();
    await held.query('create table survivors (n int)');
    await held.query('insert into survivors values (1)');

    await cluster.stop({ mode: 'immediate' });
    expect(cluster.isRunning).toBe(false);
    await expect(held.query('select 1')).rejects.toThrow();
    await expect(query(cluster.url, 'select 1')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await held.end().catch(() => undefined);

    await cluster.start();
    expect(await query(cluster.url, 'select n from survivors')).toEqual([{ n: 1 }]);

    await cluster.restart({ mode: 'fast' });
    expect(await query(cluster.url, 'select count(*)::int as n from survivors')).toEqual([{ n: 1 }]);

    const dir = cluster.dir;
    await cluster.destroy();
    await cluster.destroy();
    expect(existsSync(dir)).toBe(false);
    await expect(query(cluster.url, 'select 1')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  test.each([
    ['exits without destroying it (the exit hook)', 'exit'],
    ['is killed with SIGKILL (the watchdog)', 'kill'],
  ])('a server is stopped when its test process %s', async (_, ending) => {
    // ts-jest does not reach into a child: the hook lets it require the TypeScript module.
    const child = spawn(
      process.execPath,
      ['--require', join(__dirname, '../support/ts-require-hook.js'), '-e', childScript(ending === 'exit')],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const line = out.split('\n').find((l) => l.startsWith('URL '));
        if (line) resolve(line.slice(4));
      });
      child.on('exit', (code) => reject(new Error(`child exited (${code}) before printing its URL: ${out}`)));
    });
    if (ending === 'kill') {
      expect(await query(url, 'select 1 as one')).toEqual([{ one: 1 }]);
      child.kill('SIGKILL');
    }
    await exited;
    expect(await refusedWithin(url, 10_000)).toBe(true);
  });
});

/** A process that creates a cluster, prints its URL, then exits on its own or waits to be killed. */
function childScript(exitAtOnce: boolean): string {
  return `
    require(${JSON.stringify(require.resolve('../support/pg-cluster'))}).PgCluster.create().then((c) => {
      console.log('URL ' + c.url);
      ${exitAtOnce ? '' : 'setInterval(() => undefined, 1000);'}
    }, (err) => { console.error(err); process.exit(1); });
  `;
}

async function refusedWithin(url: string, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const refused = await query(url, 'select 1').then(
      () => false,
      (err: { code?: string }) => err.code === 'ECONNREFUSED',
    );
    if (refused) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}
