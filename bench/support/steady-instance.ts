import type { ChildProcess } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { forkModule } from '../../test/support/fork-ts';

/**
 * One Steady instance in a process of its own, as an operator runs it (`start()` with an
 * environment), for the soak and the benchmarks: it can be killed with SIGKILL like a crashed
 * server, and its CPU is its own (process.cpuUsage, asked over IPC).
 */
type Request = { op: 'cpu' } | { op: 'stop' };
type Reply = { op: 'ready'; port: number } | { op: 'cpu'; micros: number } | { op: 'stopped' } | { op: 'failed'; error: string };

export class SteadyInstance {
  private readonly waiting: ((reply: Reply) => void)[] = [];
  private exited: Promise<number | null>;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    child.on('message', (reply: Reply) => this.waiting.shift()?.(reply));
  }

  /** Starts an instance with this environment and waits until its HTTP server listens. */
  static async start(env: Record<string, string>, options: { readonly logTo?: 'inherit' | 'ignore' } = {}): Promise<SteadyInstance> {
    // BENCH_CPU_PROFILE=<dir>: each instance writes a V8 CPU profile there when it stops (open it in Chrome's DevTools).
    const profile = process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROFILE] : [];
    const child = forkModule(__filename, ['serve'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', options.logTo ?? 'ignore', 'inherit', 'ipc'],
      execArgv: profile,
    });
    const first = await new Promise<Reply>((resolve, reject) => {
      child.once('message', (reply: Reply) => resolve(reply));
      child.once('exit', (code) => reject(new Error(`Steady exited (${code}) before it was ready`)));
    });
    if (first.op !== 'ready') throw new Error(`Steady did not start: ${first.op === 'failed' ? first.error : first.op}`);
    return new SteadyInstance(child, first.port);
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** CPU (user + system) the instance has used since it started, in microseconds. */
  async cpuMicros(): Promise<number> {
    const reply = await this.ask({ op: 'cpu' });
    if (reply.op !== 'cpu') throw new Error(`unexpected answer ${reply.op}`);
    return reply.micros;
  }

  /** A crash: SIGKILL, nothing runs after it. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** A graceful stop, as on SIGTERM. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    await this.ask({ op: 'stop' });
    await this.exited;
  }

  private ask(request: Request): Promise<Reply> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.child.send(request);
    });
  }
}

/** The child's side. */
async function serve(): Promise<void> {
  const { start } = require('../../src/main') as typeof import('../../src/main');
  const send = (reply: Reply) => process.send?.(reply);
  let running: Awaited<ReturnType<typeof start>>;
  try {
    running = await start({ env: process.env, stdin: new PassThrough(), stdout: process.stdout, stderr: process.stderr });
  } catch (err) {
    send({ op: 'failed', error: err instanceof Error ? err.message : String(err) });
    process.exit(1);
  }
  if (running.httpPort === undefined) {
    send({ op: 'failed', error: 'no HTTP server: is a platform configured?' });
    process.exit(1);
  }
  process.on('message', (request: Request) => {
    if (request.op === 'cpu') {
      const { user, system } = process.cpuUsage();
      send({ op: 'cpu', micros: user + system });
    } else if (request.op === 'stop') {
      void running.stop().then(() => {
        send({ op: 'stopped' });
        process.exit(0);
      });
    }
  });
  process.on('disconnect', () => void running.stop().then(() => process.exit(0)));
  send({ op: 'ready', port: running.httpPort });
}

if (require.main === module && process.argv[2] === 'serve') void serve();
