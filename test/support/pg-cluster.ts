import { execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  accessSync,
  appendFileSync,
  chownSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { Client } from 'pg';

/**
 * A throwaway PostgreSQL server for fault and soak tests: its own data directory in a fresh temp
 * directory, trust authentication, loopback only, tuned for speed rather than durability (a test
 * cluster never survives an OS crash, so fsync buys nothing). Tests stop it, kill it and start it
 * again to see what Steady does through an outage; `destroy()` removes every trace.
 *
 * initdb and pg_ctl refuse to run as root, so as root every server command runs as the `postgres`
 * OS user, who owns the temp directory. A server outliving its test process would hold a port and
 * memory until someone noticed, so three things stop it: `destroy()`, a process 'exit' hook, and a
 * small watchdog shell that stops it if the test process dies without running its hooks (kill -9).
 */
export interface PgClusterOptions {
  /** Loopback port; a free one is picked when absent. It stays the same across restarts. */
  readonly port?: number;
  /** The database `url` points at, created on first start. */
  readonly database?: string;
  /** Extra postgresql.conf settings, e.g. `{ shared_buffers: '256MB', log_statement: 'all' }`. */
  readonly settings?: Readonly<Record<string, string | number>>;
  /** Where initdb, pg_ctl and postgres live; found on PATH, `pg_config --bindir` or /usr/lib/postgresql otherwise. */
  readonly binDir?: string;
}

export type StopMode = 'fast' | 'immediate';

const SUPERUSER = 'postgres';
const START_TIMEOUT_SECONDS = 30;

const DEFAULT_SETTINGS: Readonly<Record<string, string | number>> = {
  listen_addresses: '127.0.0.1',
  max_connections: 200,
  shared_buffers: '64MB',
  // fsync off still writes every commit to the kernel, so it survives the server being killed
  // (stop 'immediate'), which is the crash these tests make. synchronous_commit stays on: off, a
  // killed server forgets commits it already acknowledged, which no real outage test should model.
  fsync: 'off',
  full_page_writes: 'off',
  // Servers from several test files may run at once; parallel workers would only fight for 2 cores.
  max_parallel_workers_per_gather: 0,
  log_min_messages: 'warning',
  log_checkpoints: 'off',
};

export class PgCluster {
  private running = false;
  private destroyed = false;
  private watchdogPid: number | undefined;

  private constructor(
    /** The temp directory holding data/, the socket directory and server.log. */
    readonly dir: string,
    readonly port: number,
    readonly database: string,
    private readonly bin: string,
    private readonly runAs: OsUser | undefined,
  ) {}

  /** Initialises, starts and creates the database; a few hundred milliseconds on a quiet machine. */
  static async create(options: PgClusterOptions = {}): Promise<PgCluster> {
    const bin = options.binDir ?? findBinDir();
    const runAs = process.getuid?.() === 0 ? postgresOsUser() : undefined;
    const port = options.port ?? (await freePort());
    const dir = mkdtempSync(join(tmpdir(), 'steady-pg-'));
    const cluster = new PgCluster(dir, port, options.database ?? 'test', bin, runAs);
    live.add(cluster);
    try {
      mkdirSync(cluster.socketDir);
      if (runAs) for (const path of [dir, cluster.socketDir]) chownSync(path, runAs.uid, runAs.gid);
      await cluster.run('initdb', ['-D', cluster.dataDir, '-A', 'trust', '-U', SUPERUSER, '-E', 'UTF8', '--locale=C', '--no-sync']);
      const settings = { ...DEFAULT_SETTINGS, ...options.settings, port, unix_socket_directories: cluster.socketDir };
      appendFileSync(
        join(cluster.dataDir, 'postgresql.conf'),
        `\n# PgCluster\n${Object.entries(settings)
          .map(([k, v]) => `${k} = ${confValue(v)}`)
          .join('\n')}\n`,
      );
      cluster.startWatchdog();
      await cluster.start();
      await cluster.createDatabase(cluster.database);
      return cluster;
    } catch (err) {
      await cluster.destroy();
      throw err;
    }
  }

  /** postgres://postgres@127.0.0.1:PORT/DATABASE */
  get url(): string {
    return this.urlFor(this.database);
  }

  urlFor(database: string): string {
    return `postgres://${SUPERUSER}@127.0.0.1:${this.port}/${encodeURIComponent(database)}`;
  }

  get isRunning(): boolean {
    return this.running;
  }

  get dataDir(): string {
    return join(this.dir, 'data');
  }

  get logFile(): string {
    return join(this.dir, 'server.log');
  }

  private get socketDir(): string {
    return join(this.dir, 'sock');
  }

  /** Starts the server and waits until it accepts connections (after crash recovery, if it was killed). */
  async start(): Promise<void> {
    this.assertAlive();
    if (this.running) return;
    await this.run('pg_ctl', ['start', '-D', this.dataDir, '-l', this.logFile, '-w', '-t', String(START_TIMEOUT_SECONDS)]);
    this.running = true;
  }

  /**
   * 'fast' is an orderly shutdown (sessions are ended, a checkpoint is written); 'immediate' is as
   * close to pulling the plug as a test can get: processes quit at once and the next start recovers.
   */
  async stop(options: { mode?: StopMode } = {}): Promise<void> {
    if (!this.running || this.destroyed) return;
    await this.run('pg_ctl', ['stop', '-D', this.dataDir, '-m', options.mode ?? 'fast', '-w', '-t', String(START_TIMEOUT_SECONDS)]);
    this.running = false;
  }

  async restart(options: { mode?: StopMode } = {}): Promise<void> {
    await this.stop(options);
    await this.start();
  }

  /** Another database on this server, e.g. one per test file; returns its URL. */
  async createDatabase(name: string): Promise<string> {
    const client = new Client({ connectionString: this.urlFor('postgres') });
    await client.connect();
    try {
      await client.query(`create database "${name.replace(/"/g, '""')}"`);
    } finally {
      await client.end();
    }
    return this.urlFor(name);
  }

  /** Stops the server at once and deletes its directory; safe to call twice, or after a failed create. */
  async destroy(): Promise<void> {
    this.destroySync();
  }

  /** destroy() for a process 'exit' hook, where nothing asynchronous runs. */
  destroySync(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    live.delete(this);
    this.stopWatchdog();
    if (existsSync(join(this.dataDir, 'postmaster.pid'))) {
      spawnSync(...this.command('pg_ctl', ['stop', '-D', this.dataDir, '-m', 'immediate', '-w', '-t', '10']), {
        stdio: 'ignore',
        cwd: this.dir,
      });
    }
    this.running = false;
    rmSync(this.dir, { recursive: true, force: true });
  }

  private assertAlive(): void {
    if (this.destroyed) throw new Error(`PgCluster on port ${this.port} was destroyed`);
  }

  private startWatchdog(): void {
    // Polls once a second for the test process; when it is gone, stops the server and cleans up.
    const [file, args] = this.command('pg_ctl', ['stop', '-D', this.dataDir, '-m', 'immediate', '-w', '-t', '10']);
    const script = `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; ${[file, ...args].map(shellQuote).join(' ')} >/dev/null 2>&1; rm -rf ${shellQuote(this.dir)}`;
    const child = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore', cwd: '/' });
    child.unref();
    this.watchdogPid = child.pid;
  }

  private stopWatchdog(): void {
    if (this.watchdogPid === undefined) return;
    try {
      process.kill(-this.watchdogPid, 'SIGKILL');
    } catch {
      // already gone
    }
    this.watchdogPid = undefined;
  }

  private command(program: string, args: string[]): [string, string[]] {
    const path = join(this.bin, program);
    return this.runAs ? ['runuser', ['-u', this.runAs.name, '--', path, ...args]] : [path, args];
  }

  private run(program: string, args: string[]): Promise<void> {
    const [file, fullArgs] = this.command(program, args);
    return new Promise((resolve, reject) => {
      execFile(file, fullArgs, { cwd: this.dir, env: serverEnv() }, (err, stdout, stderr) => {
        if (!err) return resolve();
        const log = existsSync(this.logFile) ? `\n--- ${this.logFile} (tail)\n${tail(readFileSync(this.logFile, 'utf8'), 20)}` : '';
        reject(new Error(`${program} ${args[0] ?? ''} failed: ${err.message}\n${stderr}${stdout}${log}`));
      });
    });
  }
}

/** Clusters not yet destroyed, stopped when the process exits even if a test forgot. */
const live = new Set<PgCluster>();
process.on('exit', () => {
  for (const cluster of live) {
    try {
      cluster.destroySync();
    } catch {
      // exiting anyway; the watchdog gets another chance
    }
  }
});

interface OsUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

function postgresOsUser(): OsUser {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${SUPERUSER}:`));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (!uid || !gid) {
    throw new Error(
      'PgCluster runs as root, and initdb refuses root: create a "postgres" OS user (the Debian postgresql package does) or run the tests as another user',
    );
  }
  return { name: SUPERUSER, uid: Number(uid), gid: Number(gid) };
}

/** The first directory holding both initdb and pg_ctl: PATH, then pg_config, then Debian's layout. */
export function findBinDir(): string {
  const candidates: string[] = [];
  if (process.env.PG_BINDIR) candidates.push(process.env.PG_BINDIR);
  candidates.push(...(process.env.PATH ?? '').split(delimiter).filter(Boolean));
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  } catch {
    // no pg_config
  }
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => join(debian, v, 'bin')));
  }
  const found = candidates.find((dir) => ['initdb', 'pg_ctl'].every((p) => isExecutable(join(dir, p))));
  if (!found) throw new Error('PostgreSQL server binaries (initdb, pg_ctl) not found: install the server package or set PG_BINDIR');
  return found;
}

/** Whether this machine can run a throwaway cluster, for skipping tests where it cannot. */
export function pgClusterAvailable(): boolean {
  try {
    findBinDir();
    return process.getuid?.() !== 0 || Boolean(postgresOsUser());
  } catch {
    return false;
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * A free port below the kernel's ephemeral range. While the server is stopped its port is free, and
 * a port from that range could be taken meanwhile by anything listening on port 0 or by any outgoing
 * connection (clients reconnecting during the outage), and then the server could not start again.
 */
async function freePort(): Promise<number> {
  const low = ephemeralPortsFrom();
  const from = Math.min(15_000, low - 1_000);
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = from + Math.floor(Math.random() * (low - from));
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port found between ${from} and ${low}`);
}

function ephemeralPortsFrom(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32768;
  } catch {
    return 32768; // not Linux: Linux's default, below the IANA range other systems use
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The caller's PG* variables would point the server tools at some other cluster. */
function serverEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C' };
  for (const key of Object.keys(env)) if (key.startsWith('PG') && key !== 'PG_BINDIR') delete env[key];
  return env;
}

/** postgresql.conf takes any value quoted ('64MB', 'off'); numbers need no quotes. */
function confValue(value: string | number): string {
  return typeof value === 'number' ? String(value) : `'${value.replace(/'/g, "''")}'`;
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function tail(text: string, lines: number): string {
  return text.split('\n').slice(-lines).join('\n');
}
