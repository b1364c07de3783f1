import { randomUUID } from 'node:crypto';
import { personalConversationId } from './fake-teams-connector';

/**
 * Bot Framework activities as Teams sends them to /api/messages, for people, channels and chats of
 * one tenant. Only the fields Teams really sends (and Steady reads) are filled in.
 */
export const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const BOT = { id: '28:steady-bot', name: 'Steady' };

export interface TeamsPerson {
  readonly key: string;
  readonly id: string;
  readonly name: string;
  readonly aadObjectId: string;
  /** The zone the person's Teams client reports. */
  readonly zone?: string;
}

export interface TeamsTeam {
  readonly id: string;
  readonly name: string;
}

/** Where something happens: a person's 1:1 chat with the bot, a channel of a team, a group chat. */
export type Where =
  | { readonly kind: 'personal' }
  | {
      readonly kind: 'channel';
      readonly team: TeamsTeam;
      readonly channelId: string;
      readonly channelName: string;
      readonly threadRootId?: string;
    }
  | { readonly kind: 'groupChat'; readonly id: string; readonly name?: string };

export function person(key: string, options: { name?: string; zone?: string } = {}): TeamsPerson {
  const hex = Buffer.from(key).toString('hex').padEnd(12, '0').slice(0, 12);
  return {
    key,
    id: `29:${key}-teams-id`,
    name: options.name ?? key.charAt(0).toUpperCase() + key.slice(1),
    aadObjectId: `00000000-0000-4000-8000-${hex}`,
    ...(options.zone ? { zone: options.zone } : {}),
  };
}

export function team(name: string): TeamsTeam {
  return { id: `19:${name.toLowerCase()}-general@thread.tacv2`, name };
}

export function channel(t: TeamsTeam, channelName: string): Where {
  const channelId = channelName === 'General' ? t.id : `19:${t.name.toLowerCase()}-${channelName.toLowerCase()}@thread.tacv2`;
  return { kind: 'channel', team: t, channelId, channelName };
}

export function inThread(where: Where, threadRootId: string): Where {
  if (where.kind !== 'channel') throw new Error('threads are in channels');
  return { ...where, threadRootId };
}

export const PERSONAL: Where = { kind: 'personal' };

export function conversationIdOf(where: Where, who: TeamsPerson): string {
  switch (where.kind) {
    case 'personal':
      return personalConversationId(who.id);
    case 'channel':
      return where.channelId;
    case 'groupChat':
      return where.id;
  }
}

function base(
  serviceUrl: string,
  type: string,
  who: TeamsPerson | undefined,
  where: Where,
  activityId = String(Date.now()) + randomUUID().slice(0, 4),
) {
  const from = who ? { id: who.id, name: who.name, aadObjectId: who.aadObjectId } : { id: '29:system', name: '' };
  const conversation =
    where.kind === 'personal'
      ? { id: personalConversationId(who!.id), conversationType: 'personal', tenantId: TENANT_ID }
      : where.kind === 'channel'
        ? {
            id:
              type === 'message' || type === 'invoke'
                ? `${where.channelId};messageid=${where.threadRootId ?? activityId}`
                : where.channelId,
            conversationType: 'channel',
            isGroup: true,
            tenantId: TENANT_ID,
          }
        : { id: where.id, conversationType: 'groupChat', isGroup: true, tenantId: TENANT_ID, ...(where.name ? { name: where.name } : {}) };
  const channelData =
    where.kind === 'channel'
      ? {
          tenant: { id: TENANT_ID },
          team: { id: where.team.id, name: where.team.name },
          channel: { id: where.channelId, ...(where.channelId === where.team.id ? {} : { name: where.channelName }) },
        }
      : { tenant: { id: TENANT_ID } };
  return {
    type,
    id: activityId,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl,
    from,
    recipient: BOT,
    conversation,
    channelData,
    ...(who?.zone ? { localTimezone: who.zone } : {}),
    locale: 'en-US',
  };
}

/** A message typed by a person. `@Name` for people given in `mentions`, `@Steady` for the bot, become Teams mentions. */
export function messageActivity(
  serviceUrl: string,
  who: TeamsPerson,
  where: Where,
  text: string,
  options: { mentions?: readonly TeamsPerson[]; id?: string } = {},
) {
  const entities: unknown[] = [];
  let body = text;
  if (body.includes('@Steady')) {
    body = body.replace('@Steady', `<at>${BOT.name}</at>`);
    entities.push({ type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: BOT });
  }
  for (const other of options.mentions ?? []) {
    body = body.replace(`@${other.name}`, `<at>${other.name}</at>`);
    entities.push({ type: 'mention', text: `<at>${other.name}</at>`, mentioned: { id: other.id, name: other.name } });
  }
  entities.push({ type: 'clientInfo', locale: 'en-US', country: 'US', platform: 'Web', ...(who.zone ? { timezone: who.zone } : {}) });
  return { ...base(serviceUrl, 'message', who, where, options.id), text: body, textFormat: 'plain', entities };
}

/** A click on an Action.Execute button of a card the bot sent. */
export function cardActionActivity(
  serviceUrl: string,
  who: TeamsPerson,
  where: Where,
  cardId: string,
  action: { verb: string; data: Record<string, unknown> },
  id?: string,
) {
  return {
    ...base(serviceUrl, 'invoke', who, where, id),
    name: 'adaptiveCard/action',
    replyToId: cardId,
    value: { action: { type: 'Action.Execute', verb: action.verb, data: action.data }, trigger: 'manual' },
  };
}

/** A click on a card button as older clients send it (Action.Submit): a message with no text, the data as its value. */
export function cardSubmitActivity(
  serviceUrl: string,
  who: TeamsPerson,
  where: Where,
  cardId: string,
  data: Record<string, unknown>,
  id?: string,
) {
  return { ...base(serviceUrl, 'message', who, where, id), replyToId: cardId, value: data };
}

export function installationUpdate(serviceUrl: string, who: TeamsPerson, where: Where, action: 'add' | 'remove') {
  return { ...base(serviceUrl, 'installationUpdate', who, where), action };
}

export function conversationUpdate(
  serviceUrl: string,
  who: TeamsPerson | undefined,
  where: Where,
  update: { membersAdded?: { id: string; name?: string; aadObjectId?: string }[]; membersRemoved?: { id: string }[]; eventType?: string },
) {
  const activity = base(serviceUrl, 'conversationUpdate', who, where);
  return {
    ...activity,
    ...(update.membersAdded ? { membersAdded: update.membersAdded } : {}),
    ...(update.membersRemoved ? { membersRemoved: update.membersRemoved } : {}),
    ...(update.eventType ? { channelData: { ...activity.channelData, eventType: update.eventType } } : {}),
  };
}
