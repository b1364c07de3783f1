import type { ColumnType, Generated } from 'kysely';
import type { Json } from './json';

/** int8 comes back from PostgreSQL as a string; ids are kept as strings end to end. */
type Id = ColumnType<string, never, never>;
type StandupRef = ColumnType<string, string | number, never>;

/** One question of a stand-up, as stored (and snapshotted on each day's session). */
export interface StoredQuestion {
  readonly id: string;
  readonly text: string;
  readonly required: boolean;
  /** Its answer is the person's blocker (at most one question is). */
  readonly blocker: boolean;
}

export type ZoneMode = 'participant' | 'fixed';

export interface StandupsTable {
  id: Generated<string> & Id;
  workspace_id: string;
  name: string;
  /** The name lower-cased and trimmed: names are unique per workspace, whatever their case. */
  name_key: string;
  /** The report channel (a conversation reference). */
  channel: string;
  creator_id: string;
  admin_ids: Json<string[]>;
  questions: Json<StoredQuestion[]>;
  /** ISO weekdays, Monday 1 … Sunday 7. */
  days: Json<number[]>;
  /** HH:MM, wall-clock time of the zone that applies. */
  time: string;
  zone_mode: ZoneMode;
  fixed_zone: string | null;
  /** 0: no reminder. */
  reminder_minutes: number;
  cutoff_minutes: number;
  /** YYYY-MM-DD dates on which nobody is asked. */
  holidays: Json<string[]>;
  paused: boolean;
  created_at: Date;
  updated_at: Date;
}

export interface StandupParticipantsTable {
  standup_id: StandupRef;
  user_id: string;
  /** The zone the participant's recurring rule was last put with; a change re-puts it. */
  rule_zone: string;
  joined_at: Date;
}

/** One participant's stand-up on one of their local dates: prompt, answers, reminder, cut-off. */
export interface StandupSessionsTable {
  id: Generated<string> & Id;
  standup_id: StandupRef;
  workspace_id: string;
  user_id: string;
  /** The participant's local date, YYYY-MM-DD. */
  date: string;
  zone: string;
  questions: Json<StoredQuestion[]>;
  /** When the prompt was due. */
  prompt_at: Date;
  cutoff_at: Date;
  prompted_at: Date | null;
  prompt_ref: string | null;
  /** The platform's refusal (PlatformError code) when the prompt could not be delivered. */
  prompt_error: string | null;
  /** Index of the question being asked in chat; null before the chat starts. */
  chat_question: number | null;
  /** Question id → answer. */
  answers: Json<Record<string, string>>;
  answered_at: Date | null;
  edited_at: Date | null;
  late: boolean;
  skipped_at: Date | null;
  /** `button`, `command` or `away` (out of office). */
  skip_reason: string | null;
  reminded_at: Date | null;
  /** When the cut-off was processed. */
  closed_at: Date | null;
  /** When a newer prompt of the same stand-up replaced this unanswered one in the chat. */
  abandoned_at: Date | null;
  blocker: string | null;
  escalation_id: string | null;
  escalation_ref: string | null;
  /** Bumped on every change of the answers; the thread reply shows `reply_version`. */
  answer_version: number;
  reply_ref: string | null;
  reply_version: number;
  created_at: Date;
  updated_at: Date;
}

/** One stand-up on one date: the parent message in the report channel. */
export interface StandupDaysTable {
  standup_id: StandupRef;
  date: string;
  parent_ref: string | null;
  /** Where the parent was posted: its replies go there even if the stand-up's channel changes. */
  parent_channel: string | null;
  /** Bumped on every change of the day; the parent shows `parent_version`. */
  version: number;
  parent_version: number;
  /** While one instance writes to the channel for this day, others wait (see the publisher). */
  lease_until: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** Out of office: no stand-up asks this person on these dates (their local dates). */
export interface StandupAbsencesTable {
  id: Generated<string> & Id;
  workspace_id: string;
  user_id: string;
  from_date: string;
  until_date: string;
  created_at: Date;
}

/** Tables of the standup part of Steady. */
export interface StandupTables {
  standups: StandupsTable;
  standup_participants: StandupParticipantsTable;
  standup_sessions: StandupSessionsTable;
  standup_days: StandupDaysTable;
  standup_absences: StandupAbsencesTable;
}
