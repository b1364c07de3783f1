import { existsSync, readdirSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { PLATFORMS } from '../adapters';
import type { PlatformAdapter, PlatformModule, TerminalIo } from './adapter';
import { ConfigError, loadConfig, type Config } from './config';
import { systemClock, type Clock } from './core/clock';
import { Platforms } from './core/platform';
import { createHttpApp, listen, type RunningServer } from './http/server';
import { createLogger } from './logger';
import { dashboardRouter } from './dashboard/router';
import { createMetrics } from './metrics/registry';
import { scheduleHousekeeping } from './scheduler/housekeeping';
import { newWorkerId } from './scheduler/scheduler';
import { Ticker } from './scheduler/ticker';
import { JobNotifications } from './storage/job-notifications';
import { createSteady } from './steady';
import { connectDatabase } from './storage/database';
import { migrateToLatest, migrationsOf } from './storage/migrate';
import { addIncidentalTables } from './storage/request-once';

export interface MainIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
}

export interface Running {
  /** Resolves with the exit code once Steady has stopped. */
  readonly done: Promise<number>;
  /** Graceful stop: no new jobs are claimed, running ones get the grace period, the database closes. */
  stop(): Promise<void>;
  readonly httpPort?: number;
}

/**
 * The composition root: configuration → database → core → adapters → scheduler. It walks the list
 * of platforms (adapters/index.ts, or the one given) and names none: each one's descriptor says what
 * it reads, when it runs and how it starts. With no platform configured the console opens, on the
 * embedded database. The only file of the core that imports from adapters/, and only the list.
 */
export async function start(io: MainIo, platformList: readonly PlatformModule[] = PLATFORMS): Promise<Running> {
  let config: Config;
  try {
    config = loadConfig(io.env, platformList);
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr.write(`${err.message}\n`);
      return { done: Promise.resolve(2), stop: async () => undefined };
    }
    throw err;
  }
  const instance = newWorkerId();
  const log = createLogger({
    level: config.logLevel,
    pretty: config.interactive,
    instance,
    secretKeys: platformList.flatMap((p) => p.secrets),
  });
  const terminal = config.platforms.find((p) => p.module.terminal)?.module.terminal;
  const isTty = (stream: unknown) => (stream as { isTTY?: boolean }).isTTY === true;
  // A first start creates the database and applies every migration, which can take most of a minute on a
  // busy machine: the console says so on the terminal (a server logs it; a piped transcript stays the chat).
  const say = config.interactive && isTty(io.stderr) ? (text: string) => void io.stderr.write(`${text}\n`) : undefined;
  const preparing = Date.now();
  if (say && config.database.engine === 'pglite') {
    const { dataDir } = config.database;
    if (dataDir === null) say('Preparing a database in memory (nothing is kept)…');
    else if (isNewDirectory(dataDir)) say(`Creating the database in ${dataDir} (first start only: a few seconds)…`);
  }
  const migrations = migrationsOf(platformList);
  addIncidentalTables(platformList.flatMap((p) => p.incidentalTables ?? []));
  const connection = await connectDatabase(config.database, (err) =>
    log.warn({ err: err.message }, 'an idle database connection was closed by the server'),
  );
  let clock: Clock = systemClock;
  try {
    const applied = await migrateToLatest(
      connection.db,
      migrations,
      log,
      say && (({ name, n, of }) => say(`Applying migration ${n}/${of} (${name})…`)),
    );
    if (say && applied.length) say(`Database ready (${((Date.now() - preparing) / 1000).toFixed(1)} s).`);
    if (terminal) clock = await terminal.clock(connection.db);
  } catch (err) {
    await connection.close();
    throw err;
  }
  const platforms = new Platforms();
  const metrics = createMetrics();
  const steady = createSteady({
    metrics: metrics.recorder,
    db: connection.db,
    clock,
    log,
    platforms,
    defaultTimeZone: config.env.DEFAULT_TIME_ZONE,
    configuredAdmins: config.admins,
    ...(config.env.PUBLIC_URL ? { publicUrl: config.env.PUBLIC_URL } : {}),
    scheduler: {
      ...(terminal ? { oneAtATime: terminal.oneAtATime } : {}),
      workerId: instance,
      concurrency: config.env.JOB_CONCURRENCY,
      maxAttempts: config.env.JOB_MAX_ATTEMPTS,
      leaseMs: config.env.JOB_LEASE_SECONDS * 1000,
    },
    retentionDays: config.env.JOB_RETENTION_DAYS,
    requests: { concurrency: config.env.REQUEST_CONCURRENCY },
  });
  await scheduleHousekeeping(steady.scheduler);

  const adapters: PlatformAdapter[] = [];
  const terminalIo: TerminalIo = { input: io.stdin, output: io.stdout, ansi: isTty(io.stdout), echo: !isTty(io.stdin) };
  const core = { host: config.env.HOST, ...(config.env.PUBLIC_URL ? { publicUrl: config.env.PUBLIC_URL } : {}) };
  try {
    for (const platform of config.platforms) {
      adapters.push(await platform.create({ steady, db: connection.db, clock, log, core, terminal: terminalIo }));
    }
  } catch (err) {
    // e.g. a platform refused its credentials: say so, but leave no database open behind.
    await connection.close();
    throw err;
  }
  for (const adapter of adapters) platforms.register(adapter.platform);
  let http: RunningServer | undefined;
  if (adapters.length === 0) log.warn('no chat platform is configured and the console is off: only the health endpoints run');
  if (adapters.some((a) => a.mount) || config.env.HTTP === 'on' || !config.interactive) {
    const app = createHttpApp({
      db: connection.db,
      log,
      clock,
      metrics,
      migrations,
      ...(config.env.METRICS_TOKEN ? { metricsToken: config.env.METRICS_TOKEN } : {}),
    });
    for (const adapter of adapters) adapter.mount?.(app);
    app.use('/dashboard', dashboardRouter(steady.services));
    http = await listen(app, config.env.HOST, config.env.PORT);
    log.info({ host: config.env.HOST, port: http.port }, 'HTTP server listening');
  }
  for (const adapter of adapters) await adapter.start?.();

  const stopWaiters: (() => void)[] = [];
  // The console runs what is due after each line it reads (and on /wait); a server runs its pool in
  // the background, woken by PostgreSQL when a job is added, and polled as a fallback.
  const ticker = new Ticker(
    config.interactive ? () => steady.scheduler.tick() : () => steady.scheduler.poll(),
    config.env.TICK_SECONDS,
    log,
  );
  const notifications =
    config.database.engine === 'postgres' && !config.interactive
      ? new JobNotifications(config.database.url, (at) => steady.scheduler.wakeAt(at), log.child({ component: 'job-notifications' }))
      : undefined;
  if (!config.interactive) {
    steady.scheduler.start();
    await notifications?.start();
  }
  ticker.start();

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      log.info('shutting down');
      await ticker.stop();
      await notifications?.stop();
      const finished = await steady.scheduler.stop(config.env.SHUTDOWN_GRACE_SECONDS * 1000);
      if (!finished) log.warn('jobs still running after the grace period; their leases expire and another instance takes them over');
      for (const adapter of adapters) await adapter.stop?.().catch((err: unknown) => log.error({ err }, 'adapter did not stop cleanly'));
      await http?.close();
      await connection.close();
      log.info('stopped');
    })());

  // A terminal chat (the console) ends with its input (or /quit); a server runs until stopped.
  const session = adapters.find((a) => a.session)?.session;
  const done = session
    ? session
        .run()
        .then(stop)
        .then(() => 0)
    : new Promise<void>((resolve) => {
        stopWaiters.push(resolve);
      }).then(() => 0);
  return {
    done,
    stop: async () => {
      session?.close();
      await stop();
      for (const resolve of stopWaiters) resolve();
    },
    ...(http ? { httpPort: http.port } : {}),
  };
}

function isNewDirectory(dir: string): boolean {
  return !existsSync(dir) || readdirSync(dir).length === 0;
}

if (require.main === module) {
  if (existsSync('.env')) process.loadEnvFile('.env');
  start({ env: process.env, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr })
    .then(async (running) => {
      // First signal: stop gracefully. Second: leave at once.
      let signals = 0;
      const onSignal = () => {
        if (++signals > 1) process.exit(130);
        void running.stop();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      process.exit(await running.done);
    })
    .catch((err: unknown) => {
      process.stderr.write(`Steady stopped: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    });
}
