import type { Json } from '../../../db/tables/json';

/**
 * What the Teams adapter remembers, keyed by the Azure AD tenant: where each conversation lives (the
 * Bot Framework needs its service URL to send there later), who the people are, and the forms it
 * has shown as cards.
 */
export type TeamsConversationKind = 'personal' | 'channel' | 'groupChat';

export interface TeamsConversationsTable {
  tenant_id: string;
  /** The conversation id without a thread suffix (`;messageid=…`). */
  conversation_id: string;
  kind: TeamsConversationKind;
  service_url: string;
  /** The bot's own id in this conversation (`28:…`). */
  bot_id: string;
  /** personal: the person the bot talks to. */
  user_id: string | null;
  team_id: string | null;
  team_name: string | null;
  /** The channel's or group chat's name, when Teams says it. */
  name: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface TeamsMembersTable {
  tenant_id: string;
  /** The Teams user id (`29:…`). */
  user_id: string;
  aad_object_id: string | null;
  name: string;
  email: string | null;
  /** The zone the person's Teams client last reported (`localTimezone`). */
  time_zone: string | null;
  /** A conversation the person was last seen in, to ask Teams about them later. */
  seen_in: string | null;
  created_at: Date;
  updated_at: Date;
}

export type TeamsFormStatus = 'open' | 'submitting' | 'done' | 'cancelled';

export interface TeamsFormsTable {
  id: string;
  tenant_id: string;
  /** Whom the form is for: only they may submit it. */
  user_id: string;
  /** Where it was asked for: the submission reports this conversation to the workflow. */
  origin: string | null;
  /** The card showing it. */
  message_ref: string | null;
  form: Json<unknown>;
  /** The values last submitted and the problems found with them, to draw the card again. */
  submitted: Json<Record<string, unknown>> | null;
  errors: Json<Record<string, string>> | null;
  status: TeamsFormStatus;
  created_at: Date;
  updated_at: Date;
}

/** The adapter's tables join the one Database type from here (see adapters/slack/storage/tables.ts). */
declare module '../../../db/schema' {
  interface Database {
    teams_conversations: TeamsConversationsTable;
    teams_members: TeamsMembersTable;
    teams_forms: TeamsFormsTable;
  }
}
