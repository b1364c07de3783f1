import { z } from 'zod';
import type { ConversationRef, MessageRef, WorkspaceId } from '../../src/core/refs';

/**
 * Teams references. The workspace is the Azure AD tenant: `teams:<tenant id>`. A conversation or
 * message is `teams:<tenant id>:<base64url of a small JSON>`:
 * - `c`: the conversation id, without a thread suffix (a channel, a group chat, a 1:1 chat);
 * - `r`: for a message inside a channel thread, the thread's root message id;
 * - `m`: for a message, its activity id.
 * The service URL a send needs is not in the reference: it is looked up by (tenant, conversation),
 * so it can change (Teams moves conversations between regions) without changing stored references.
 */
export const PLATFORM = 'teams';

export interface ConversationAddress {
  readonly tenantId: string;
  readonly conversationId: string;
}

export interface MessageAddress extends ConversationAddress {
  /** Set when the message is a reply inside a channel thread (and not the root itself). */
  readonly threadRootId?: string;
  readonly activityId: string;
}

const TENANT = /^[A-Za-z0-9._-]{1,100}$/;
const payload = z.object({
  c: z.string().min(1).max(1000),
  r: z.string().min(1).max(200).optional(),
  m: z.string().min(1).max(200).optional(),
});

export function workspaceIdOf(tenantId: string): WorkspaceId {
  return `${PLATFORM}:${tenantId}`;
}

/** The tenant of a `teams:<tenant>` workspace id, or undefined if it is not one. */
export function tenantOf(workspaceId: WorkspaceId): string | undefined {
  const prefix = `${PLATFORM}:`;
  if (!workspaceId.startsWith(prefix)) return undefined;
  const tenant = workspaceId.slice(prefix.length);
  return TENANT.test(tenant) ? tenant : undefined;
}

/** A conversation id without Teams' thread suffix: `19:x@thread.tacv2;messageid=123` → `19:x@thread.tacv2`. */
export function baseConversationId(conversationId: string): string {
  const at = conversationId.indexOf(';messageid=');
  return at === -1 ? conversationId : conversationId.slice(0, at);
}

/** The thread root named by a conversation id's suffix, if any. */
export function threadRootOf(conversationId: string): string | undefined {
  const match = /;messageid=([^;]+)/.exec(conversationId);
  return match?.[1];
}

export function conversationRef(address: ConversationAddress): ConversationRef {
  return encode(address.tenantId, { c: baseConversationId(address.conversationId) });
}

export function messageRef(address: MessageAddress): MessageRef {
  const body: z.infer<typeof payload> = { c: baseConversationId(address.conversationId) };
  // A thread's root is addressed without `r`, so a card has one reference however it is reached.
  if (address.threadRootId && address.threadRootId !== address.activityId) body.r = address.threadRootId;
  body.m = address.activityId;
  return encode(address.tenantId, body);
}

export function parseConversationRef(ref: string): ConversationAddress | undefined {
  const decoded = decode(ref);
  return decoded ? { tenantId: decoded.tenantId, conversationId: decoded.body.c } : undefined;
}

export function parseMessageRef(ref: string): MessageAddress | undefined {
  const decoded = decode(ref);
  const activityId = decoded?.body.m;
  if (!decoded || !activityId) return undefined;
  const { tenantId, body } = decoded;
  return { tenantId, conversationId: body.c, activityId, ...(body.r ? { threadRootId: body.r } : {}) };
}

/** The conversation a message belongs to. */
export function conversationOfMessage(ref: MessageRef): ConversationRef | undefined {
  const address = parseMessageRef(ref);
  return address ? conversationRef(address) : undefined;
}

/** The conversation id to send to for a message's thread: the thread's root in a channel. */
export function threadConversationId(address: MessageAddress): string {
  return `${address.conversationId};messageid=${address.threadRootId ?? address.activityId}`;
}

function encode(tenantId: string, body: z.infer<typeof payload>): string {
  return `${PLATFORM}:${tenantId}:${Buffer.from(JSON.stringify(body)).toString('base64url')}`;
}

function decode(ref: string): { tenantId: string; body: z.infer<typeof payload> } | undefined {
  const match = /^teams:([^:]+):([A-Za-z0-9_-]+)$/.exec(ref);
  if (!match || !TENANT.test(match[1]!)) return undefined;
  try {
    const parsed = payload.safeParse(JSON.parse(Buffer.from(match[2]!, 'base64url').toString('utf8')));
    return parsed.success ? { tenantId: match[1]!, body: parsed.data } : undefined;
  } catch {
    return undefined;
  }
}
