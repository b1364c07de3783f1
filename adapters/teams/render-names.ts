import type { Db } from '../../db/schema';
import { spansOf, type RichText } from '../../src/core/rich-text';
import type { RenderNames } from './render/names';
import { parseConversationRef } from './refs';
import { findConversation, type StoredConversation } from './storage/conversations-repository';
import { findMembers } from './storage/members-repository';

/** Looks up the names a message's mentions and channel spans need, before it is rendered. */
export async function namesFor(db: Db, tenantId: string, texts: readonly RichText[]): Promise<RenderNames> {
  const userIds = new Set<string>();
  const channelRefs = new Set<string>();
  for (const text of texts) {
    for (const span of spansOf(text)) {
      if (typeof span === 'string') continue;
      if (span.kind === 'user' && !span.name) userIds.add(span.userId);
      if (span.kind === 'channel') channelRefs.add(span.ref);
    }
  }
  const members = await findMembers(db, tenantId, [...userIds]);
  const channels = new Map<string, string>();
  for (const ref of channelRefs) {
    const address = parseConversationRef(ref);
    const stored = address && address.tenantId === tenantId ? await findConversation(db, tenantId, address.conversationId) : undefined;
    if (stored) channels.set(ref, conversationLabel(stored));
  }
  return { users: new Map(members.map((m) => [m.user_id, m.name])), channels };
}

/** How people know a conversation: `Ops › #incidents`, a group chat's name, or whose 1:1 chat it is. */
export function conversationLabel(stored: StoredConversation, personName?: string): string {
  switch (stored.kind) {
    case 'channel': {
      const channel = `#${stored.name ?? (stored.team_id === stored.conversation_id ? 'General' : 'channel')}`;
      return stored.team_name ? `${stored.team_name} › ${channel}` : channel;
    }
    case 'groupChat':
      return stored.name ?? 'a group chat';
    case 'personal':
      return personName ? `a 1:1 chat with ${personName}` : 'a 1:1 chat';
  }
}
