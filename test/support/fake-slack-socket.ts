import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { FakeSlack } from './fake-slack';

/**
 * Slack's side of Socket Mode on loopback: apps.connections.open (answered by the fake Web API)
 * hands out this server's ws:// URL; on connection it says hello, then the test pushes envelopes
 * (events_api, slash_commands, interactive) and reads the app's acks. A minimal RFC 6455 server:
 * text frames, ping/pong and close, which is all Socket Mode uses.
 */
export const APP_TOKEN = 'xapp-1-A0STEADY-fake';

export interface Envelope {
  readonly envelope_id: string;
  readonly type: 'events_api' | 'slash_commands' | 'interactive';
  readonly payload: Record<string, unknown>;
  readonly accepts_response_payload: boolean;
  readonly retry_attempt?: number;
  readonly retry_reason?: string;
}

export class FakeSocketMode {
  /** Acks the app sent back, by envelope id. */
  readonly acks = new Map<string, Record<string, unknown> | undefined>();
  private socket: Duplex | undefined;
  private buffer = Buffer.alloc(0);
  private readonly waiters: (() => void)[] = [];
  private connections = 0;

  private constructor(private readonly server: Server) {}

  static async attach(slack: FakeSlack): Promise<FakeSocketMode> {
    const server = createServer((_req, res) => res.writeHead(426).end());
    const fake = new FakeSocketMode(server);
    server.on('upgrade', (req, socket) => fake.accept(req.headers['sec-websocket-key'], socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    slack.validTokens.add(APP_TOKEN);
    slack.socketModeUrl = `ws://127.0.0.1:${port}/link/?ticket=fake`;
    return fake;
  }

  get connected(): boolean {
    return this.socket !== undefined;
  }

  get connectionCount(): number {
    return this.connections;
  }

  /** Sends an envelope and waits for the app's ack of it. */
  async deliver(envelope: Envelope, timeoutMs = 5000): Promise<Record<string, unknown> | undefined> {
    if (!this.socket) throw new Error('no Socket Mode connection');
    this.socket.write(frame(0x1, Buffer.from(JSON.stringify(envelope))));
    const deadline = Date.now() + timeoutMs;
    while (!this.acks.has(envelope.envelope_id)) {
      if (Date.now() > deadline) throw new Error(`no ack for envelope ${envelope.envelope_id}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return this.acks.get(envelope.envelope_id);
  }

  async close(): Promise<void> {
    this.socket?.destroy();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private accept(key: string | undefined, socket: Duplex): void {
    if (!key) {
      socket.destroy();
      return;
    }
    const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    socket.write(
      ['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${accept}`, '', ''].join(
        '\r\n',
      ),
    );
    this.socket = socket;
    this.connections++;
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => {
      if (this.socket === socket) this.socket = undefined;
    });
    socket.on('error', () => undefined);
    socket.write(
      frame(
        0x1,
        Buffer.from(
          JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake' }, connection_info: { app_id: 'A0STEADY' } }),
        ),
      ),
    );
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const parsed = readFrame(this.buffer);
      if (!parsed) return;
      this.buffer = this.buffer.subarray(parsed.length);
      if (parsed.opcode === 0x1) {
        const message = JSON.parse(parsed.payload.toString('utf8')) as { envelope_id?: string; payload?: Record<string, unknown> };
        if (message.envelope_id) this.acks.set(message.envelope_id, message.payload);
        for (const wake of this.waiters.splice(0)) wake();
      } else if (parsed.opcode === 0x9) {
        this.socket?.write(frame(0xa, parsed.payload));
      } else if (parsed.opcode === 0x8) {
        this.socket?.write(frame(0x8, parsed.payload));
        this.socket?.end();
      }
    }
  }
}

function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const header =
    length < 126
      ? Buffer.from([0x80 | opcode, length])
      : length < 65536
        ? Buffer.from([0x80 | opcode, 126, length >> 8, length & 0xff])
        : Buffer.concat([Buffer.from([0x80 | opcode, 127]), bigLength(length)]);
  return Buffer.concat([header, payload]);
}

function bigLength(length: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(length));
  return b;
}

/** One client frame (always masked) from the start of the buffer, or undefined if incomplete. */
function readFrame(buffer: Buffer): { opcode: number; payload: Buffer; length: number } | undefined {
  if (buffer.length < 2) return undefined;
  const opcode = buffer[0]! & 0x0f;
  const masked = (buffer[1]! & 0x80) !== 0;
  let length = buffer[1]! & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buffer.length < 4) return undefined;
    length = buffer.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buffer.length < 10) return undefined;
    length = Number(buffer.readBigUInt64BE(2));
    offset = 10;
  }
  const maskLength = masked ? 4 : 0;
  if (buffer.length < offset + maskLength + length) return undefined;
  const mask = masked ? buffer.subarray(offset, offset + 4) : undefined;
  const payload = Buffer.from(buffer.subarray(offset + maskLength, offset + maskLength + length));
  if (mask) for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
  return { opcode, payload, length: offset + maskLength + length };
}
