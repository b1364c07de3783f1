import type { ColumnType, Generated } from 'kysely';
import type { Json } from './json';

/** int8 comes back from PostgreSQL as a string; ids are kept as strings end to end. */
type Id = ColumnType<string, never, never>;

export type JobState = 'pending' | 'done' | 'failed' | 'cancelled' | 'skipped';

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

export interface FoundationTables {
  jobs: JobsTable;
  recurring_rules: RecurringRulesTable;
  workspaces: WorkspacesTable;
  people: PeopleTable;
  inbound_events: InboundEventsTable;
  workspace_admins: WorkspaceAdminsTable;
  reported_problems: ReportedProblemsTable;
}
