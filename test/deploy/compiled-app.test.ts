import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { MIGRATIONS as migrations } from '../../adapters';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { ROOT } from './support';

/**
 * Steady started the way its image starts it: the migrations, then the server, from the compiled
 * JavaScript in dist/ (`node dist/...`, no TypeScript at run time), in a folder of its own, with only
 * the environment given here. On PGlite a new data folder; on PostgreSQL a new database.
 */
const MIGRATE = join(ROOT, 'dist', 'src', 'migrate-command.js');
const MAIN = join(ROOT, 'dist', 'src', 'main.js');

let workdir: string;
let database: TestDatabase | undefined;
let storage: Record<string, string>;
beforeAll(async () => {
  // CI builds first (npm run build); tsc's build mode then finds dist/ up to date in well under a second.
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'compile.cjs')], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`the build failed:\n${build.stdout}${build.stderr}`);
  workdir = mkdtempSync(join(tmpdir(), 'steady-compiled-'));
  if (process.env.DATABASE_URL) {
    database = await openTestDatabase({ migrate: false });
    storage = { DATABASE_URL: database.url! };
  } else {
    storage = { DATA_DIR: join(workdir, 'data') };
  }
}, 180_000);
afterAll(async () => {
  await database?.close();
  rmSync(workdir, { recursive: true, force: true });
});

/** Only what an operator would set: no variable of the test process leaks in. */
const env = (more: Record<string, string> = {}) => ({ ...storage, CONSOLE: 'off', HOST: '127.0.0.1', PORT: '0', ...more });

function run(file: string, vars: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], { cwd: workdir, env: vars });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The server's JSON log lines, as they come; `until` resolves with the first that matches. */
function logOf(child: ChildProcess) {
  const entries: Record<string, any>[] = [];
  const waiting: { test: (e: Record<string, any>) => boolean; resolve: (e: Record<string, any>) => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const entry = JSON.parse(line) as Record<string, any>;
    entries.push(entry);
    for (const w of waiting.filter((w) => w.test(entry))) {
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve(entry);
    }
  });
  return {
    entries,
    until: (test: (e: Record<string, any>) => boolean) =>
      new Promise<Record<string, any>>((resolve, reject) => {
        const found = entries.find(test);
        if (found) return resolve(found);
        waiting.push({ test, resolve });
        child.once('exit', (code) => reject(new Error(`Steady exited (${code}) before the expected log line`)));
      }),
  };
}

describe('the compiled app, started as the image starts it', () => {
  test('migrations from compiled code apply every migration, and exit', async () => {
    const migrated = await run(MIGRATE, env());
    expect(migrated).toMatchObject({ code: 0, stderr: '' });
    expect(migrated.stdout).toContain(`Applied ${Object.keys(migrations).length} migration(s): ${Object.keys(migrations).join(', ')}`);
  }, 120_000);

  test('the server answers /healthz and /readyz, logs which instance it is, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [MAIN], {
      cwd: workdir,
      env: env({ LOG_LEVEL: 'debug', SHUTDOWN_GRACE_SECONDS: '5' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const log = logOf(child);
    try {
      const listening = await log.until((e) => e.msg === 'HTTP server listening');
      const base = `http://127.0.0.1:${listening.port}`;

      const alive = await fetch(`${base}/healthz`);
      expect(alive.status).toBe(200);
      expect(await alive.json()).toEqual({ status: 'alive' });
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready', database: 'reachable', migrated: true });

      const request = await log.until((e) => e.msg === 'request' && e.route === '/readyz');
      expect(request).toMatchObject({ method: 'GET', status: 200, correlationId: ready.headers.get('x-request-id') });
      expect(listening).toMatchObject({ app: 'steady', pid: child.pid, hostname: expect.any(String) });
      expect(listening.instance).toMatch(new RegExp(`^steady-${child.pid}-[0-9a-f]{8}$`));
      expect(log.entries.every((e) => e.instance === listening.instance)).toBe(true);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(log.entries.map((e) => e.msg)).toEqual(expect.arrayContaining(['shutting down', 'stopped']));
    // The migration command left nothing for the server to apply (the same holds for a second run of it:
    // both apply only what is pending).
    expect(log.entries.filter((e) => e.msg === 'database migrated')).toEqual([]);
    expect(log.entries.filter((e) => e.level >= 50)).toEqual([]);
    expect(stderr).toBe('');
  }, 120_000);
});
