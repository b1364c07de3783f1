import type { ColumnType, Generated } from 'kysely';
import type { Json } from './json';

/** int8 comes back from PostgreSQL as a string; ids are kept as strings end to end. */
type Id = ColumnType<string, never, never>;

/** Tables of the audit trail. */
export interface AuditTables {
  audit_records: AuditRecordsTable;
}

/**
 * One admin change: who made it, when, what (a stable action name such as `policy.changed`), the
 * subject it was made to (a name or a person's id), and the settings before and after as JSON (null
 * where there was none, e.g. before a creation). Written in the same transaction as the change.
 */
export interface AuditRecordsTable {
  id: Generated<string> & Id;
  workspace_id: string;
  actor_id: string;
  action: string;
  subject: string;
  before: Json<unknown> | null;
  after: Json<unknown> | null;
  at: Date;
}
