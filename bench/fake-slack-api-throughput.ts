import { fork, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { FakeSlackApi, WORKSPACE, generateUsers, type FakeSlackApiStats } from '../test/support/fake-slack-api';

/**
 * How many chat.postMessage calls a second the fake Slack Web API answers, and the CPU it spends on
 * them, with the fake in a process of its own (as a load test should run it, so that its CPU is
 * not counted as Steady's). Checks that the fake is never what limits a delivery benchmark.
 * `npm run build && node dist/bench/fake-slack-api-throughput.js [seconds]`
 */
const USERS = 10_000;

interface Scenario {
  readonly name: string;
  readonly latencyMs: number;
  readonly concurrency: number;
}

const SCENARIOS: Scenario[] = [
  { name: 'no latency, 64 in flight', latencyMs: 0, concurrency: 64 },
  { name: '200 ms latency, 1,000 in flight', latencyMs: 200, concurrency: 1000 },
];

type Reply = { url: string } | { cpuMicros: number; stats: FakeSlackApiStats };

async function serve(): Promise<void> {
  const api = await FakeSlackApi.start({ users: generateUsers(USERS), faults: { latencyMs: Number(process.argv[3] ?? 0) } });
  process.on('message', () => {
    const { user, system } = process.cpuUsage();
    process.send!({ cpuMicros: user + system, stats: api.stats() } satisfies Reply);
  });
  process.on('disconnect', () => void api.close().then(() => process.exit(0)));
  process.send!({ url: api.apiUrl } satisfies Reply);
}

function ask(child: ChildProcess): Promise<Reply> {
  return new Promise((resolve) => {
    child.once('message', (reply) => resolve(reply as Reply));
    child.send('cpu');
  });
}

/** A form body like Slack's WebClient sends: nested values as JSON strings. */
function body(n: number): string {
  const user = `U${String((n % USERS) + 1).padStart(8, '0')}`;
  return new URLSearchParams({
    channel: user,
    text: `Stand-up for Ops: what did you do yesterday? (${n})`,
    blocks: JSON.stringify([{ type: 'section', text: { type: 'mrkdwn', text: `*Stand-up* ${n}` } }, { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Answer' }, action_id: 'answer' }] }]),
    metadata: JSON.stringify({ event_type: 'steady_outbox', event_payload: { kind: 'standup.prompt', key: `session-${n}:prompt` } }),
  }).toString();
}

function post(url: URL, agent: Agent, payload: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent, headers: { authorization: `Bearer ${WORKSPACE.token}`, 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(payload) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function run(scenario: Scenario, seconds: number): Promise<Record<string, string | number>> {
  const child = fork(__filename, ['serve', String(scenario.latencyMs)], { stdio: 'inherit' });
  try {
    const { url } = (await new Promise<Reply>((resolve) => child.once('message', (m) => resolve(m as Reply)))) as { url: string };
    const target = new URL('chat.postMessage', url);
    const agent = new Agent({ keepAlive: true, maxSockets: scenario.concurrency });
    let sent = 0;
    let failed = 0;
    // Warm up connections and the JIT before measuring.
    await Promise.all(Array.from({ length: scenario.concurrency }, (_, i) => post(target, agent, body(i))));
    const before = (await ask(child)) as { cpuMicros: number };
    const started = performance.now();
    const until = started + seconds * 1000;
    await Promise.all(
      Array.from({ length: scenario.concurrency }, async () => {
        while (performance.now() < until) {
          const status = await post(target, agent, body(sent++));
          if (status !== 200) failed++;
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    const after = (await ask(child)) as { cpuMicros: number; stats: FakeSlackApiStats };
    agent.destroy();
    const cpuMs = (after.cpuMicros - before.cpuMicros) / 1000;
    return {
      scenario: scenario.name,
      'requests/s': Math.round(sent / elapsed),
      failed,
      'fake CPU ms per 1,000 requests': ((cpuMs / sent) * 1000).toFixed(1),
      'fake CPU, share of one core': `${((cpuMs / 1000 / elapsed) * 100).toFixed(0)}%`,
      'messages stored': after.stats.stored,
    };
  } finally {
    child.disconnect();
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === 'serve') return serve();
  const seconds = Number(process.argv[2] ?? 5);
  for (const scenario of SCENARIOS) console.log(JSON.stringify(await run(scenario, seconds), null, 2));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
