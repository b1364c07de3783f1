import type { ColumnType, Generated } from 'kysely';
import type { Json } from './json';

/** int8 comes back from PostgreSQL as a string; ids are kept as strings end to end. */
type Id = ColumnType<string, never, never>;

export type SeverityColumn = 'SEV1' | 'SEV2' | 'SEV3' | 'SEV4';
export type EscalationStatusColumn = 'open' | 'acknowledged' | 'resolved' | 'cancelled';

/** One level of an escalation policy: who is notified, then how long to wait for an acknowledgement. */
export interface PolicyLevelJson {
  readonly users: readonly string[];
  readonly channel?: string;
  readonly rotationId?: string;
  /** The rotation's name when the level was saved, for messages. */
  readonly rotationName?: string;
  readonly waitMinutes: number;
}

/** A policy as copied onto an escalation when it is raised: later edits of the policy do not reach it. */
export interface PolicySnapshotJson {
  readonly policyId: string | null;
  readonly name: string;
  readonly levels: readonly PolicyLevelJson[];
  /** How many times the levels repeat after the first pass (0: once through). */
  readonly repeat: number;
  /** Who last saved the policy: told once when a level cannot be delivered. */
  readonly updatedBy: string;
}

export interface EscalationSourceJson {
  readonly kind: 'standup-blocker';
  readonly id: string;
  readonly label: string;
  readonly message?: string;
}

export interface EscalationsTable {
  id: Generated<string> & Id;
  workspace_id: string;
  /** The n of `ESC-n`, per workspace, never reused. */
  number: number;
  title: string;
  impact: string;
  options: string | null;
  recommendation: string | null;
  severity: SeverityColumn;
  status: EscalationStatusColumn;
  owner_id: string;
  raiser_id: string;
  /** Who submitted the form (differs from the raiser when raised on someone's behalf). */
  created_by: string;
  /** Where the card is posted. */
  conversation: string;
  card_ref: string | null;
  /** Bumped at every change; the card job renders the latest. */
  card_version: number;
  card_failed: boolean;
  due_at: Date;
  /** When the due time was last set: the reminder lead is a quarter of the time given from here. */
  due_set_at: Date;
  /** Bumped when the due time changes, so reminders for an older due time do nothing. */
  due_version: number;
  reminded_version: number | null;
  overdue_at: Date | null;
  chase_count: number;
  policy: Json<PolicySnapshotJson> | null;
  /** Bumped when reopened: the policy runs again from its first level. */
  policy_run: number;
  /** The last step of the policy reached (levels × rounds, from 0); -1 before the first. */
  policy_step: number;
  /** Everyone a policy level has notified: they may acknowledge. */
  notified_user_ids: Json<string[]>;
  /** A level notified a channel: anyone there may acknowledge. */
  channel_notified: boolean;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  first_acknowledged_at: Date | null;
  resolved_at: Date | null;
  resolved_by: string | null;
  resolution: string | null;
  cancelled_at: Date | null;
  cancelled_by: string | null;
  cancel_reason: string | null;
  source: Json<EscalationSourceJson> | null;
  created_at: Date;
  updated_at: Date;
}

export interface EscalationEventsTable {
  id: Generated<string> & Id;
  escalation_id: string;
  kind: string;
  /** null: Steady itself (a policy step, a reminder). */
  actor_id: string | null;
  at: Date;
  data: Json<Record<string, unknown>>;
}

export interface EscalationPoliciesTable {
  id: Generated<string> & Id;
  workspace_id: string;
  name: string;
  levels: Json<PolicyLevelJson[]>;
  repeat: number;
  created_by: string;
  updated_by: string;
  created_at: Date;
  updated_at: Date;
}

/** A per-severity default due time, as stored. */
export type DueRuleJson =
  | { readonly kind: 'duration'; readonly minutes: number }
  | { readonly kind: 'business-days'; readonly days: number; readonly at: string };

/** When overdue escalations are chased, in each owner's zone: days are ISO weekdays (Monday 1 … Sunday 7). */
export type WorkingHoursJson =
  | { readonly kind: 'always' }
  | { readonly kind: 'weekly'; readonly days: readonly number[]; readonly start: string; readonly end: string };

export interface EscalationSettingsTable {
  workspace_id: string;
  channel: string | null;
  default_policy_id: string | null;
  due_rules: Json<Partial<Record<SeverityColumn, DueRuleJson>>>;
  chase_minutes: number | null;
  /** null: the default working hours. */
  working_hours: Json<WorkingHoursJson> | null;
  updated_by: string;
  updated_at: Date;
}

/** The last reference number given out per workspace. */
export interface EscalationCountersTable {
  workspace_id: string;
  last_number: number;
}

/** A raise form opened on someone's behalf (another workflow's prefill): what the submission may claim. */
export interface EscalationDraftsTable {
  token: string;
  workspace_id: string;
  actor_id: string;
  raiser_id: string;
  source: Json<EscalationSourceJson> | null;
  created_at: Date;
}

/** What a followed direct message was, so it can be drawn again: its kind's own arguments. */
export type DirectMessageArgsJson =
  | { readonly notice: 'assigned' | 'due-changed' | 'reopened' | 'exhausted' | 'raised-for'; readonly paged?: PagedJson }
  | { readonly phase: 'before' | 'due' | 'chase'; readonly dueAt: string; readonly paged?: PagedJson; readonly n?: number }
  | PagedJson;

/** The policy level that paged the reader: its own message, or a reason named in another one. */
export interface PagedJson {
  readonly level: number;
  readonly levels: number;
  readonly why: 'policy' | 'overdue';
}

/**
 * A direct message about an escalation that carries buttons, redrawn as the escalation changes.
 * Forgotten once it showed a resolved or cancelled escalation, or was deleted.
 */
export interface EscalationDirectMessagesTable {
  id: Generated<string> & Id;
  escalation_id: string;
  user_id: string;
  message_ref: string;
  kind: 'notice' | 'reminder' | 'page';
  args: Json<DirectMessageArgsJson>;
  /** The timeline event a notice is about. */
  event_id: string | null;
  /** When it was first drawn: "due in 2h" keeps saying what it said then. */
  rendered_at: Date;
  /** The escalation's card version it shows. */
  card_version: number;
  /** Of the message as it shows now: an unchanged redraw is not sent. */
  digest: string;
}

/** Tables of the escalation part of Steady. */
export interface EscalationTables {
  escalations: EscalationsTable;
  escalation_events: EscalationEventsTable;
  escalation_policies: EscalationPoliciesTable;
  escalation_settings: EscalationSettingsTable;
  escalation_counters: EscalationCountersTable;
  escalation_drafts: EscalationDraftsTable;
  escalation_direct_messages: EscalationDirectMessagesTable;
}
