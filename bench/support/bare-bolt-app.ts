import type { ChildProcess } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, ExpressReceiver, LogLevel } from '@slack/bolt';
import express from 'express';
import { forkModule } from '../../test/support/fork-ts';

/**
 * The baseline for Steady's acknowledgement path: a Bolt app of the same version, built as
 * Steady builds its own (adapters/slack/bolt-app.ts: ExpressReceiver on /slack/events with
 * processBeforeResponse false, an authorize function, no conversation store, its router mounted on
 * an express app), whose only listener acknowledges every slash command and does nothing else.
 * In a process of its own, as Steady's instance is, so both meet the load generator alike.
 */
type Reply = { op: 'ready'; port: number } | { op: 'cpu'; micros: number };

export class BareBoltApp {
  private readonly waiting: ((reply: Reply) => void)[] = [];

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.on('message', (reply: Reply) => this.waiting.shift()?.(reply));
  }

  static async start(signingSecret: string): Promise<BareBoltApp> {
    const child = forkModule(__filename, ['serve'], {
      env: { ...process.env, BARE_SIGNING_SECRET: signingSecret },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const first = await new Promise<Reply>((resolve, reject) => {
      child.once('message', (reply: Reply) => resolve(reply));
      child.once('exit', (code) => reject(new Error(`the bare Bolt app exited (${code}) before it was ready`)));
    });
    if (first.op !== 'ready') throw new Error(`the bare Bolt app did not start: ${first.op}`);
    return new BareBoltApp(child, first.port);
  }

  /** CPU (user + system) the app has used since it started, in microseconds. */
  cpuMicros(): Promise<number> {
    return new Promise((resolve) => {
      this.waiting.push((reply) => resolve(reply.op === 'cpu' ? reply.micros : Number.NaN));
      this.child.send({ op: 'cpu' });
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    await exited;
  }
}

/** The child's side. */
async function serve(): Promise<void> {
  const signingSecret = process.env.BARE_SIGNING_SECRET!;
  const receiver = new ExpressReceiver({
    signingSecret,
    endpoints: '/slack/events',
    processBeforeResponse: false,
    logLevel: LogLevel.ERROR,
  });
  const app = new App({
    receiver,
    logLevel: LogLevel.ERROR,
    convoStore: false,
    authorize: async (source) => ({ botToken: 'xoxb-bare', botUserId: 'U0BOT', ...(source.teamId ? { teamId: source.teamId } : {}) }),
  });
  app.command(/^\/.+$/, async ({ ack }) => {
    await ack();
  });
  const server = express();
  server.disable('x-powered-by');
  server.use(receiver.router);
  const listening = await new Promise<Server>((resolve, reject) => {
    const s = server.listen(0, '127.0.0.1', (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  process.on('message', (request: { op: string }) => {
    if (request.op !== 'cpu') return;
    const { user, system } = process.cpuUsage();
    process.send?.({ op: 'cpu', micros: user + system } satisfies Reply);
  });
  process.on('disconnect', () => process.exit(0));
  process.on('SIGTERM', () => process.exit(0));
  process.send?.({ op: 'ready', port: (listening.address() as AddressInfo).port } satisfies Reply);
}

if (require.main === module && process.argv[2] === 'serve') void serve();
