import type { Kysely, Transaction } from 'kysely';
import type { AuditTables } from './tables/audit';
import type { DashboardTables } from './tables/dashboard';
import type { EscalationTables } from './tables/escalation';
import type { FoundationTables } from './tables/foundation';
import type { HandoffTables } from './tables/handoff';
import type { StandupTables } from './tables/standup';

/**
 * The core's tables, one interface per part. Each platform adapter keeps its own table types beside
 * its migrations (adapters/<name>/storage/tables.ts) and sees the database as this and its own.
 */
export interface Database extends FoundationTables, EscalationTables, StandupTables, HandoffTables, DashboardTables, AuditTables {}

export type Db = Kysely<Database>;
/** A connection or a transaction: repositories take either, so callers choose the transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;
