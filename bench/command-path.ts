/**
 * The command path (what a slash command costs from request to answer, and the load it takes),
 * measured with signed slash commands against a Steady instance in a process of its own, on
 * PostgreSQL, talking to the fake Slack Web API (also a process of its own):
 *
 * 1. `/escalate list`, then `/escalate update ESC-n <text>` (a change every time, legal repeatedly:
 *    anyone may add an update to an open escalation), each from 16 keep-alive connections for 15 s,
 *    each request closed-loop (the next is sent when the previous was acknowledged). The same load,
 *    in the same run, against a bare Bolt app of the same version that only acknowledges
 *    (support/bare-bolt-app.ts). An answer the acknowledgement carries is timed at the ack (Slack
 *    shows it at once); every request also has its own response_url at the fake, which notes when
 *    each later answer arrived, so the time to the person's answer is measured, not only the ack.
 *    Targets: Steady's acknowledgements per second at least 0.8x the bare app's; every request
 *    answered with what was asked (the list; "Added your update"), not a failure message; p99 time
 *    from sending the request to that answer reaching the fake within 1 s (a notice before it, such
 *    as "queued", is allowed and timed apart, but does not count as the answer).
 * 2. Prompts under load: a stand-up wave of 10,000 prompts through the same instance, once alone
 *    and once with the `/escalate list` load running for as long as the wave alone took. The k-th
 *    prompt to arrive at the fake in the loaded run is compared with the k-th in the run alone
 *    (both timed from the moment `/standup now` was sent): the difference is the delay the load
 *    caused to the k-th prompt, whoever it went to (the order among people is arbitrary, the
 *    position in the wave is not). Target: no prompt delayed more than 10 s. The lateness against
 *    the least time the fake's own limit allows (burst, then its rate) is printed beside it.
 *
 * The commands come from people Steady has not met (so each is looked up once, with users.info),
 * and the fake enforces Slack's Tier 4 limit on users.info (about 100 a minute) as Slack would.
 * Times across processes are Date.now() on one machine (the fake's clock and this process's).
 * A cluster of its own runs with fsync off (test/support/pg-cluster.ts): a commit that waits for
 * the disk costs more on a production server, or on DATABASE_URL's if it flushes.
 *
 *   npm run bench command-path            # on a PostgreSQL cluster of its own (or DATABASE_URL's server)
 *   BENCH_COMMAND_SECONDS=5 BENCH_ONLY=list npm run bench command-path   # list, update or wave
 *   BENCH_PARTICIPANTS=2000 BENCH_COMMAND_PEOPLE=200 BENCH_COMMAND_DRAIN_SECONDS=60 BENCH_COMMAND_CONNECTIONS=1
 */
import { randomUUID } from 'node:crypto';
import { Kysely, PostgresDialect } from 'kysely';
import { Pool } from 'pg';
import pino from 'pino';
import type { Database } from '../db/schema';
import { MIGRATIONS } from '../adapters';
import { migrateToLatest } from '../src/storage/migrate';
import { generateUsers } from '../test/support/fake-slack-api';
import { FakeSlackApiProcess } from '../test/support/fake-slack-api-process';
import { minimumSeconds } from '../test/support/token-bucket';
import { BareBoltApp } from './support/bare-bolt-app';
import { percentile, runCommandLoad, type CommandSpec, type LoadResult } from './support/command-load';
import { raiseEscalations } from './support/escalations-setup';
import { benchPostgres } from './support/postgres-server';
import { SteadyInstance } from './support/steady-instance';
import { SIGNING_SECRET, TEAM, askEveryoneNow, instanceEnv, storeStandup } from './support/standup-wave';

const silent = pino({ level: 'silent' });
const CONNECTIONS = Number(process.env.BENCH_COMMAND_CONNECTIONS ?? 16);
const TOKEN = 'xoxb-fake-token-1';
/** Slack's Tier 4 (users.info): "100+ per minute". */
const USERS_INFO_LIMIT = { perSecond: 100 / 60, burst: 100 };
const ESCALATIONS = 20;
/** The answers asked for, as their notification text starts (bold is Slack mrkdwn's *…*). */
const LIST_ANSWER = /^Open escalations/;
const UPDATE_ANSWER = /^Added your update to \*?ESC-\d+/;
/** Slack shows the person an error when a slash command is not acknowledged within 3 s. */
const SLACK_ACK_TIMEOUT_MS = 3_000;

const settings = {
  seconds: Number(process.env.BENCH_COMMAND_SECONDS ?? 15),
  participants: Number(process.env.BENCH_PARTICIPANTS ?? 10_000),
  postsPerSecond: Number(process.env.BENCH_POSTS_PER_SECOND ?? 250),
  people: Number(process.env.BENCH_COMMAND_PEOPLE ?? 1_000),
  drainSeconds: Number(process.env.BENCH_COMMAND_DRAIN_SECONDS ?? 120),
  only: process.env.BENCH_ONLY,
};

function connect(url: string): Kysely<Database> {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: new Pool({ connectionString: url, max: 2 }) }) });
}

interface Arrival {
  /** Date.now() at the fake. */
  readonly at: number;
  readonly text: string;
}

/**
 * What reached each request's response_url: the first message (which may be a notice such as "queued,
 * you will get your answer") and the answer asked for, if it came.
 */
type Answers = Map<string, { readonly first: Arrival; last: Arrival; asked?: Arrival }>;

/**
 * Collects the answers to these requests: the one an acknowledgement carried (Slack shows it to the
 * person at once), then those that reach the fake's response_urls, until every acknowledged one has
 * the answer asked for, or nothing came for 20 s, or `drainSeconds` passed since the load ended.
 */
async function collectAnswers(fake: FakeSlackApiProcess, load: LoadResult, expected: RegExp, drainSeconds: number): Promise<Answers> {
  const wanted = new Set(load.requests.filter((r) => r.status === 200).map((r) => r.id));
  const answers: Answers = new Map();
  let asked = 0;
  const note = (id: string, arrival: Arrival) => {
    let entry = answers.get(id);
    if (!entry) {
      entry = { first: arrival, last: arrival };
      answers.set(id, entry);
    }
    entry.last = arrival;
    if (!entry.asked && expected.test(arrival.text)) {
      entry.asked = arrival;
      asked++;
    }
  };
  for (const r of load.requests) if (r.status === 200 && r.ackText !== undefined) note(r.id, { at: r.sentAt + r.ackMs, text: r.ackText });
  const deadline = Date.now() + drainSeconds * 1000;
  let lastNew = Date.now();
  for (;;) {
    for (const a of await fake.takeResponses()) {
      if (!wanted.has(a.id)) continue;
      note(a.id, { at: a.at, text: a.text });
      lastNew = Date.now();
    }
    if (asked >= wanted.size || Date.now() > deadline || Date.now() - lastNew > 20_000) return answers;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Waits until the instance has no jobs due within five minutes (an update's thread posts, waiting out
 * the fake's per-channel limit), so that the measured load starts from a quiet instance, not in the
 * warm-up's wake. Jobs due later (an escalation's reminders) do not count.
 */
async function quiet(db: Kysely<Database>, capSeconds: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    const soon = new Date(Date.now() + 5 * 60_000);
    const { n } = await db
      .selectFrom('jobs')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('state', 'in', ['pending', 'running'])
      .where('run_at', '<', soon)
      .executeTakeFirstOrThrow();
    if (Number(n) === 0 || Date.now() - started > capSeconds * 1000) return Number(n);
    await new Promise((r) => setTimeout(r, 500));
  }
}

interface PathFigures {
  readonly sent: number;
  readonly acked: number;
  readonly acksPerSecond: number;
  readonly ackP50: number;
  readonly ackP99: number;
  readonly lateAcks: number;
  /** Requests with any message at their response_url. */
  readonly answered: number;
  /** Requests with the answer asked for. */
  readonly expected: number;
  /** The last message of requests that never got the answer asked for, and how many got each. */
  readonly failures: Map<string, number>;
  readonly firstP99: number;
  readonly answerP50: number;
  readonly answerP99: number;
}

function figures(load: LoadResult, answers: Answers | undefined): PathFigures {
  const acked = load.requests.filter((r) => r.status === 200);
  const ackMs = load.requests.map((r) => r.ackMs);
  const failures = new Map<string, number>();
  const toFirst: number[] = [];
  const toAnswer: number[] = [];
  for (const r of load.requests) {
    const a = answers?.get(r.id);
    toFirst.push(a ? a.first.at - r.sentAt : Number.POSITIVE_INFINITY);
    toAnswer.push(a?.asked ? a.asked.at - r.sentAt : Number.POSITIVE_INFINITY);
    if (a && !a.asked) {
      const what = a.last.text.replace(/\(reference \w+\)/, '(reference …)').slice(0, 90);
      failures.set(what, (failures.get(what) ?? 0) + 1);
    }
  }
  return {
    sent: load.requests.length,
    acked: acked.length,
    acksPerSecond: acked.length / load.seconds,
    ackP50: percentile(ackMs, 50),
    ackP99: percentile(ackMs, 99),
    lateAcks: load.requests.filter((r) => r.ackMs > SLACK_ACK_TIMEOUT_MS).length,
    answered: answers ? answers.size : 0,
    expected: answers ? [...answers.values()].filter((a) => a.asked).length : 0,
    failures,
    firstP99: percentile(toFirst, 99),
    answerP50: percentile(toAnswer, 50),
    answerP99: percentile(toAnswer, 99),
  };
}

const ms = (v: number) => (Number.isFinite(v) ? `${Math.round(v)} ms` : 'no answer');

function printLoad(name: string, f: PathFigures, load: LoadResult): void {
  const non200 = f.sent - f.acked;
  console.log(
    `  ${name}: ${f.acked} of ${f.sent} acknowledged with HTTP 200 in ${load.seconds.toFixed(1)} s = ${Math.round(f.acksPerSecond)}/s;` +
      ` ack p50 ${ms(f.ackP50)}, p99 ${ms(f.ackP99)}` +
      (non200 ? `; ${non200} not 200 (${load.transportErrors} failed on the wire)` : '') +
      (f.lateAcks ? `; ${f.lateAcks} after Slack's 3 s` : '') +
      ` (the load generator used ${Math.round(load.generatorBusy * 100)}% of a core)`,
  );
}

function printAnswers(f: PathFigures, drainSeconds: number): void {
  console.log(
    `  answers: ${f.answered} of ${f.sent} requests answered (within ${drainSeconds} s after the load), ${f.expected} with what was asked`,
  );
  for (const [text, n] of [...f.failures].sort((a, b) => b[1] - a[1]).slice(0, 5)) console.log(`    ${n} x "${text}"`);
  console.log(
    `  time from sending to the answer at the fake: p50 ${ms(f.answerP50)}, p99 ${ms(f.answerP99)} (to a first message of any kind: p99 ${ms(f.firstP99)})`,
  );
}

export async function runCommandPathBench(): Promise<boolean> {
  const users = generateUsers(settings.participants + settings.people);
  const participants = users.slice(0, settings.participants);
  const senders = users.slice(settings.participants);
  const pg = await benchPostgres();
  let ok = true;
  const verdict = (pass: boolean) => {
    ok &&= pass;
    return pass ? 'ok' : 'MISSED';
  };
  const startFake = () =>
    FakeSlackApiProcess.start({
      users,
      faults: { latencyMs: 20 },
      limits: {
        workspace: { perSecond: settings.postsPerSecond, burst: settings.postsPerSecond },
        channel: { perSecond: 1, burst: 3 },
        methods: { 'users.info': USERS_INFO_LIMIT },
      },
    });
  const specFor = (fake: FakeSlackApiProcess, port: number, text: (n: number) => string): CommandSpec => ({
    port,
    signingSecret: SIGNING_SECRET,
    teamId: TEAM,
    channelId: 'C0OPS',
    command: '/escalate',
    text,
    userId: (n) => senders[n % senders.length]!.id,
    responseUrl: (id) => fake.responseUrl(id),
    runId: randomUUID().slice(0, 8),
  });

  /** A database with open escalations and one Steady instance on it; `prepare` adds what else it needs. */
  async function withSteady<T>(
    fake: FakeSlackApiProcess,
    prepare: (db: Kysely<Database>) => Promise<unknown>,
    use: (steady: SteadyInstance, db: Kysely<Database>) => Promise<T>,
  ): Promise<T> {
    const url = await pg.database();
    const db = connect(url);
    let steady: SteadyInstance | undefined;
    try {
      await migrateToLatest(db, MIGRATIONS, silent);
      await prepare(db);
      await raiseEscalations(db, fake.apiUrl, TOKEN, { count: ESCALATIONS, raiser: participants[0]!.id, owner: participants[1]!.id });
      steady = await SteadyInstance.start(instanceEnv({ databaseUrl: url, apiUrl: fake.apiUrl, postsPerSecond: settings.postsPerSecond }));
      return await use(steady, db);
    } finally {
      await steady?.stop().catch(() => steady?.kill());
      await db.destroy();
    }
  }

  try {
    if (!settings.only || settings.only === 'list') await commandPath('/escalate list', () => 'list', LIST_ANSWER);
    if (!settings.only || settings.only === 'update') {
      const updates = async (db: Kysely<Database>) =>
        Number(
          (
            await db
              .selectFrom('escalation_events')
              .select((eb) => eb.fn.countAll<string>().as('n'))
              .where('kind', '=', 'updated')
              .executeTakeFirstOrThrow()
          ).n,
        );
      await commandPath(
        '/escalate update ESC-n <text>',
        (n) => `update ESC-${(n % ESCALATIONS) + 1} Bench update ${n}`,
        UPDATE_ANSWER,
        updates,
      );
    }
    if (!settings.only || settings.only === 'wave') await promptsUnderLoad();
  } finally {
    await pg.close();
  }
  return ok;

  /** `stored`: how many of the requests changed something, for a command that must change something each time. */
  async function commandPath(
    name: string,
    text: (n: number) => string,
    expected: RegExp,
    stored?: (db: Kysely<Database>) => Promise<number>,
  ): Promise<void> {
    console.log(
      `${name}: ${CONNECTIONS} connections for ${settings.seconds} s, from ${settings.people} people new to Steady, after a 2 s warm-up`,
    );
    const fake = await startFake();
    try {
      const bare = await BareBoltApp.start(SIGNING_SECRET);
      let bareFigures: PathFigures;
      try {
        await runCommandLoad(specFor(fake, bare.port, text), { connections: CONNECTIONS, seconds: 2 });
        const load = await runCommandLoad(specFor(fake, bare.port, text), { connections: CONNECTIONS, seconds: settings.seconds });
        bareFigures = figures(load, undefined);
        printLoad('bare Bolt app (acks only)', bareFigures, load);
      } finally {
        await bare.stop();
      }
      await withSteady(
        fake,
        async () => undefined,
        async (steady, db) => {
          const warmUp = await runCommandLoad(specFor(fake, steady.port, text), { connections: CONNECTIONS, seconds: 2 });
          await collectAnswers(fake, warmUp, expected, settings.drainSeconds);
          const left = await quiet(db, settings.drainSeconds);
          if (left) console.log(`  note: ${left} jobs of the warm-up were still due when the load started`);
          await fake.takeResponses();
          const cpuBefore = await steady.cpuMicros();
          const load = await runCommandLoad(specFor(fake, steady.port, text), { connections: CONNECTIONS, seconds: settings.seconds });
          const answers = await collectAnswers(fake, load, expected, settings.drainSeconds);
          const cpuMs = ((await steady.cpuMicros()) - cpuBefore) / 1000;
          const f = figures(load, answers);
          printLoad('Steady', f, load);
          printAnswers(f, settings.drainSeconds);
          if (stored) {
            const changes = await stored(db);
            const asked = warmUp.requests.length + f.sent;
            console.log(`  one change stored per request   ${changes} for ${asked} (warm-up included)   ${verdict(changes === asked)}`);
          }
          console.log(`  Steady's CPU ${(cpuMs / Math.max(1, f.sent)).toFixed(2)} ms per request (the load and its answers)`);
          const stats = await fake.stats();
          if (stats.rateLimited.methodLimit)
            console.log(
              `  note: the fake answered ${stats.rateLimited.methodLimit} of ${stats.calls['users.info'] ?? 0} users.info calls with 429 (Tier 4), warm-up included`,
            );
          const ratio = f.acksPerSecond / bareFigures.acksPerSecond;
          console.log(`  Steady / bare acks per second   ${ratio.toFixed(2)}x (target >= 0.8)   ${verdict(ratio >= 0.8)}`);
          console.log(`  every request answered with what was asked   ${f.expected} of ${f.sent}   ${verdict(f.expected === f.sent)}`);
          console.log(`  p99 time to the answer   ${ms(f.answerP99)} (target <= 1000 ms)   ${verdict(f.answerP99 <= 1_000)}`);
        },
      );
    } finally {
      await fake.close();
    }
  }

  async function promptsUnderLoad(): Promise<void> {
    console.log(
      `prompts under load: a wave of ${settings.participants} prompts (fake limit ${settings.postsPerSecond}/s), alone and with /escalate list from ${CONNECTIONS} connections`,
    );
    const alone = await waveRun(undefined);
    console.log(
      `  alone: the wave took ${(alone.offsets.at(-1)! / 1000).toFixed(1)} s (the limit allows ${alone.limitSeconds.toFixed(1)} s)`,
    );
    if (process.env.BENCH_DEBUG)
      console.log(
        `  (prompts at ${[0, 10, 25, 50, 75, 90, 100].map((p) => (percentile(alone.offsets, p) / 1000).toFixed(1)).join(', ')} s)`,
      );
    const loadSeconds = Math.max(settings.seconds, alone.offsets.at(-1)! / 1000);
    const loaded = await waveRun(loadSeconds);
    const last =
      loaded.offsets.length === settings.participants
        ? `${(loaded.offsets.at(-1)! / 1000).toFixed(1)} s`
        : `more than its ${loaded.capSeconds} s cap (${loaded.offsets.length} prompts)`;
    console.log(`  with the load (${loadSeconds.toFixed(0)} s of it): the wave took ${last}`);
    let maxDelay = 0;
    let maxLateness = 0;
    const burst = settings.postsPerSecond;
    for (let k = 0; k < settings.participants; k++) {
      const at = loaded.offsets[k] ?? Number.POSITIVE_INFINITY;
      maxDelay = Math.max(maxDelay, at - (alone.offsets[k] ?? Number.POSITIVE_INFINITY));
      maxLateness = Math.max(maxLateness, at - minimumSeconds(k + 1, { perSecond: settings.postsPerSecond, burst }) * 1000);
    }
    if (loaded.figures) {
      printLoad('Steady (during the wave)', loaded.figures, loaded.load!);
      printAnswers(loaded.figures, settings.drainSeconds);
    }
    console.log(
      `  latest prompt against the fake's limit (burst, then ${settings.postsPerSecond}/s): ${(maxLateness / 1000).toFixed(1)} s with the load`,
    );
    const delay = Number.isFinite(maxDelay) ? `${(maxDelay / 1000).toFixed(1)} s` : `some never arrived within ${loaded.capSeconds} s`;
    console.log(`  most a prompt was delayed by the load   ${delay} (target <= 10 s)   ${verdict(maxDelay <= 10_000)}`);
  }

  /** One wave on a fresh database and fake; with `loadSeconds`, the list load starts with it. */
  async function waveRun(
    loadSeconds: number | undefined,
  ): Promise<{ offsets: number[]; limitSeconds: number; capSeconds: number; load?: LoadResult; figures?: PathFigures }> {
    const fake = await startFake();
    try {
      return await withSteady(
        fake,
        (db) => storeStandup(db, participants),
        async (steady) => {
          const limitSeconds = await fake.minimumSecondsFor(settings.participants);
          const capSeconds = Math.max(300, Math.ceil(limitSeconds * 5));
          const before = (await fake.arrivals('standup-prompt')).length;
          if (before) throw new Error(`${before} prompts went out before the wave`);
          const started = Date.now();
          const status = await askEveryoneNow(steady.port, participants[0]!.id);
          if (status !== 200) throw new Error(`/standup now answered HTTP ${status}`);
          const loading =
            loadSeconds === undefined
              ? undefined
              : runCommandLoad(
                  specFor(fake, steady.port, () => 'list'),
                  { connections: CONNECTIONS, seconds: loadSeconds },
                );
          for (;;) {
            const delivered = (await fake.countPerKind())['standup-prompt'] ?? 0;
            if (delivered >= settings.participants || Date.now() - started > capSeconds * 1000) break;
            await new Promise((r) => setTimeout(r, 200));
          }
          const offsets = (await fake.arrivals('standup-prompt')).map((at) => at - started).sort((a, b) => a - b);
          if (!loading) return { offsets, limitSeconds, capSeconds };
          const load = await loading;
          const answers = await collectAnswers(fake, load, LIST_ANSWER, settings.drainSeconds);
          return { offsets, limitSeconds, capSeconds, load, figures: figures(load, answers) };
        },
      );
    } finally {
      await fake.close();
    }
  }
}

if (require.main === module) {
  runCommandPathBench()
    .then((ok) => process.exit(ok ? 0 : 1))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
