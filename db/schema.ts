import type { Kysely, Transaction } from 'kysely';
import type { AuditTables } from './tables/audit';
import type { ConsoleTables } from './tables/console';
import type { DashboardTables } from './tables/dashboard';
import type { EscalationTables } from './tables/escalation';
import type { FoundationTables } from './tables/foundation';
import type { HandoffTables } from './tables/handoff';
import type { SlackTables } from './tables/slack';
import type { StandupTables } from './tables/standup';
import type { TeamsTables } from './tables/teams';

/** Every table Steady keeps, one interface per part. */
export interface Database
  extends FoundationTables,
    EscalationTables,
    StandupTables,
    HandoffTables,
    TeamsTables,
    SlackTables,
    ConsoleTables,
    DashboardTables,
    AuditTables {}

export type Db = Kysely<Database>;
/** A connection or a transaction: repositories take either, so callers choose the transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;
