/**
 * What the fake Slack Web API (fake-slack-api.ts) remembers: every message it stored, per channel
 * in ts order, read back as conversations.history and conversations.replies do, and counted per
 * recipient, kind and key so a load or soak test can say "each person got each message exactly once".
 */
export interface MessageMetadata {
  readonly event_type: string;
  readonly event_payload: Record<string, unknown>;
}

export interface StoredMessage {
  readonly team: string;
  readonly channel: string;
  /** The person for a DM (its D channel belongs to them), the channel id otherwise. */
  readonly recipient: string;
  readonly ts: string;
  readonly threadTs?: string;
  text: string;
  blocks: unknown[];
  metadata?: MessageMetadata;
  /** From the metadata payload's `kind` (or its event_type), else 'message'. */
  readonly kind: string;
  /** From the metadata payload's `key`, else the text: what must arrive once per recipient. */
  readonly key: string;
  /** The caller was told HTTP 500 although the message was stored: a retry is in doubt. */
  inDoubt: boolean;
  updates: number;
  replyCount: number;
}

export type Classify = (message: { text: string; metadata?: MessageMetadata }) => { kind: string; key: string };

export const classifyByMetadata: Classify = ({ text, metadata }) => {
  const payload = metadata?.event_payload ?? {};
  const kind = typeof payload.kind === 'string' ? payload.kind : (metadata?.event_type ?? 'message');
  const key = typeof payload.key === 'string' ? payload.key : text;
  return { kind, key };
};

export interface Page {
  readonly messages: StoredMessage[];
  readonly nextCursor: string | undefined;
}

export interface Duplicate {
  readonly recipient: string;
  readonly kind: string;
  readonly key: string;
  readonly count: number;
}

export class MessageStore {
  /** Every stored message, in the order it was stored. */
  readonly all: StoredMessage[] = [];
  private readonly byChannel = new Map<string, StoredMessage[]>();
  private readonly byTs = new Map<string, StoredMessage>();
  private readonly perDelivery = new Map<string, number>();
  private lastMicros = 0;

  constructor(
    private readonly now: () => number,
    private readonly classify: Classify = classifyByMetadata,
  ) {}

  add(fields: Omit<StoredMessage, 'ts' | 'kind' | 'key' | 'inDoubt' | 'updates' | 'replyCount'>): StoredMessage {
    const message: StoredMessage = { ...fields, ...this.classify(fields), ts: this.nextTs(), inDoubt: false, updates: 0, replyCount: 0 };
    this.all.push(message);
    const list = this.byChannel.get(message.channel);
    if (list) list.push(message);
    else this.byChannel.set(message.channel, [message]);
    this.byTs.set(`${message.channel}/${message.ts}`, message);
    const delivery = deliveryId(message);
    this.perDelivery.set(delivery, (this.perDelivery.get(delivery) ?? 0) + 1);
    if (message.threadTs) {
      const parent = this.find(message.channel, message.threadTs);
      if (parent) parent.replyCount++;
    }
    return message;
  }

  find(channel: string, ts: string): StoredMessage | undefined {
    return this.byTs.get(`${channel}/${ts}`);
  }

  /** conversations.history: top-level messages, newest first, within (oldest, latest). */
  history(channel: string, q: { oldest?: string; latest?: string; inclusive?: boolean; limit: number; cursor?: string }): Page {
    const list = this.byChannel.get(channel) ?? [];
    const oldest = tsMicros(q.oldest ?? '0');
    const latest = q.latest ? tsMicros(q.latest) : Number.POSITIVE_INFINITY;
    const before = q.cursor ? tsMicros(fromCursor(q.cursor)) : Number.POSITIVE_INFINITY;
    const messages: StoredMessage[] = [];
    // The list is in ts order, so walk back from the newest and stop below `oldest`.
    for (let i = list.length - 1; i >= 0; i--) {
      const m = list[i]!;
      const t = tsMicros(m.ts);
      if (t < oldest || (t === oldest && !q.inclusive)) break;
      if (t > latest || (t === latest && !q.inclusive) || t >= before) continue;
      if (m.threadTs && m.threadTs !== m.ts) continue;
      if (messages.length === q.limit) return { messages, nextCursor: toCursor(messages[messages.length - 1]!.ts) };
      messages.push(m);
    }
    return { messages, nextCursor: undefined };
  }

  /** conversations.replies: the parent, then its replies, oldest first. */
  replies(channel: string, threadTs: string, q: { limit: number; cursor?: string }): Page | undefined {
    const parent = this.find(channel, threadTs);
    if (!parent) return undefined;
    const thread = [parent, ...(this.byChannel.get(channel) ?? []).filter((m) => m.threadTs === threadTs && m.ts !== threadTs)];
    const start = q.cursor ? Number(fromCursor(q.cursor)) : 0;
    const messages = thread.slice(start, start + q.limit);
    return { messages, nextCursor: start + q.limit < thread.length ? toCursor(String(start + q.limit)) : undefined };
  }

  /** Messages to one person (their DM) or one channel. */
  to(recipient: string): StoredMessage[] {
    return this.all.filter((m) => m.recipient === recipient);
  }

  /** How many messages of `kind` were stored, per recipient. */
  countPerRecipient(kind?: string): Map<string, number> {
    const counts = new Map<string, number>();
    for (const m of this.all) if (kind === undefined || m.kind === kind) counts.set(m.recipient, (counts.get(m.recipient) ?? 0) + 1);
    return counts;
  }

  countPerKind(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const m of this.all) counts[m.kind] = (counts[m.kind] ?? 0) + 1;
    return counts;
  }

  /** Every (recipient, kind, key) that was stored more than once: empty when delivery was exactly once. */
  duplicates(): Duplicate[] {
    const out: Duplicate[] = [];
    for (const [id, count] of this.perDelivery) {
      if (count < 2) continue;
      const [recipient, kind, key] = JSON.parse(id) as [string, string, string];
      out.push({ recipient, kind, key, count });
    }
    return out;
  }

  /** Whether (recipient, kind, key) was stored at least once; for finding what was lost. */
  has(recipient: string, kind: string, key: string): boolean {
    return this.perDelivery.has(JSON.stringify([recipient, kind, key]));
  }

  /** Slack's ts is seconds.microseconds and unique within a channel; here it is unique everywhere. */
  private nextTs(): string {
    this.lastMicros = Math.max(Math.floor(this.now() * 1000), this.lastMicros + 1);
    return `${Math.floor(this.lastMicros / 1e6)}.${String(this.lastMicros % 1e6).padStart(6, '0')}`;
  }
}

function deliveryId(m: StoredMessage): string {
  return JSON.stringify([m.recipient, m.kind, m.key]);
}

function tsMicros(ts: string): number {
  const [seconds = '0', fraction = ''] = ts.split('.');
  return Number(seconds) * 1e6 + Number(fraction.padEnd(6, '0').slice(0, 6));
}

function toCursor(value: string): string {
  return Buffer.from(`next:${value}`).toString('base64');
}

function fromCursor(cursor: string): string {
  return Buffer.from(cursor, 'base64')
    .toString()
    .replace(/^next:/, '');
}
