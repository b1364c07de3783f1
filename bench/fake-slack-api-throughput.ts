import { Agent, request } from 'node:http';
import { WORKSPACE, generateUsers } from '../test/support/fake-slack-api';
import { FakeSlackApiProcess } from '../test/support/fake-slack-api-process';

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

/** A form body like Slack's WebClient sends: nested values as JSON strings. */
function body(n: number): string {
  const user = `U${String((n % USERS) + 1).padStart(8, '0')}`;
  return new URLSearchParams({
    channel: user,
    text: `Stand-up for Ops: what did you do yesterday? (${n})`,
    blocks: JSON.stringify([
      { type: 'section', text: { type: 'mrkdwn', text: `*Stand-up* ${n}` } },
      { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Answer' }, action_id: 'answer' }] },
    ]),
    metadata: JSON.stringify({ event_type: 'steady_outbox', event_payload: { kind: 'standup.prompt', key: `session-${n}:prompt` } }),
  }).toString();
}

function post(url: URL, agent: Agent, payload: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${WORKSPACE.token}`,
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(payload),
        },
      },
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
  const fake = await FakeSlackApiProcess.start({ users: generateUsers(USERS), faults: { latencyMs: scenario.latencyMs } });
  try {
    const target = new URL('chat.postMessage', fake.apiUrl);
    const agent = new Agent({ keepAlive: true, maxSockets: scenario.concurrency });
    let sent = 0;
    let failed = 0;
    // Warm up connections and the JIT before measuring.
    await Promise.all(Array.from({ length: scenario.concurrency }, (_, i) => post(target, agent, body(i))));
    const cpuBefore = await fake.cpuMicros();
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
    const cpuMs = ((await fake.cpuMicros()) - cpuBefore) / 1000;
    agent.destroy();
    return {
      scenario: scenario.name,
      'requests/s': Math.round(sent / elapsed),
      failed,
      'fake CPU ms per 1,000 requests': ((cpuMs / sent) * 1000).toFixed(1),
      'fake CPU, share of one core': `${((cpuMs / 1000 / elapsed) * 100).toFixed(0)}%`,
      'messages stored': (await fake.stats()).stored,
    };
  } finally {
    await fake.close();
  }
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 5);
  for (const scenario of SCENARIOS) console.log(JSON.stringify(await run(scenario, seconds), null, 2));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
