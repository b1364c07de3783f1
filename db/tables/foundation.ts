import type { ColumnType, Generated } from 'kysely';
import type { Json } from './json';

/** int8 comes back from PostgreSQL as a string; ids are kept as strings end to end. */
type Id = ColumnType<string, never, never>;

/** pending: waiting for its time; running: under a lease; the rest are ends. */
export type JobState = 'pending' | 'running' | 'done' | 'failed' | 'cancelled' | 'skipped';

export interface JobsTable {
  id: Generated<string> & Id;
  kind: string;
  payload: Json<unknown>;
  run_at: Date;
  scheduled_for: Date;
  dedupe_key: string | null;
  owner: string | null;
  state: JobState;
  attempts: Generated<number>;
  max_attempts: number;
  locked_by: string | null;
  locked_until: Date | null;
  /** Names one claim of the job: writes of a run are fenced by it, so a run that lost its lease records nothing. */
  lease_token: string | null;
  /** The dedupe key of a job that must have ended before this one runs. */
  after_key: string | null;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

export interface RecurringRulesTable {
  key: string;
  job_kind: string;
  cron: string;
  zone: string;
  payload: Json<Record<string, unknown>>;
  owner: string | null;
  active: boolean;
  next_run_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface WorkspacesTable {
  id: string;
  platform: string;
  name: string | null;
  settings: Json<Record<string, unknown>>;
  created_at: Date;
}

export type TimeZoneSource = 'platform' | 'explicit';

export interface PeopleTable {
  workspace_id: string;
  user_id: string;
  display_name: string;
  time_zone: string | null;
  time_zone_source: TimeZoneSource | null;
  is_bot: boolean;
  deleted: boolean;
  refreshed_at: Date;
  created_at: Date;
}

export interface InboundEventsTable {
  key: string;
  received_at: Date;
}

export interface WorkspaceAdminsTable {
  workspace_id: string;
  user_id: string;
  added_by: string;
  added_at: Date;
}

/** Problems already reported to a person, so each is reported once. */
export interface ReportedProblemsTable {
  key: string;
  reported_at: Date;
}

export type OutboxState = 'attempting' | 'sent' | 'failed' | 'retry';

/**
 * One row per post to a platform, keyed by what it is (a stand-up session's prompt, an event's
 * notice to a person): the record that makes a post happen once.
 */
export interface OutboxTable {
  key: string;
  workspace_id: string;
  /** Where it goes: a conversation reference, or `@user` for a direct message. */
  target: string;
  /** attempting: an attempt began and its end is not known (in doubt until looked up). */
  state: OutboxState;
  attempts: Generated<number>;
  attempt_token: string | null;
  attempt_at: Date | null;
  /** Attempts that ended in doubt and were sent again because the platform cannot be asked. */
  resent_in_doubt: Generated<number>;
  /** Attempts that ended in doubt and were found on the platform, so not sent again. */
  found_in_doubt: Generated<number>;
  ref: string | null;
  error: string | null;
  created_at: Date;
  updated_at: Date;
  sent_at: Date | null;
}

/** Pacing of sends, shared by every instance: one row per workspace or conversation and kind of call. */
export interface SendLanesTable {
  lane: string;
  interval_ms: number;
  burst: number;
  tat: Date;
  paused_until: Date | null;
  updated_at: Date;
}

export interface FoundationTables {
  outbox: OutboxTable;
  send_lanes: SendLanesTable;
  jobs: JobsTable;
  recurring_rules: RecurringRulesTable;
  workspaces: WorkspacesTable;
  people: PeopleTable;
  inbound_events: InboundEventsTable;
  workspace_admins: WorkspaceAdminsTable;
  reported_problems: ReportedProblemsTable;
}
