import type { Kysely, Transaction } from 'kysely';
import type { FoundationTables } from './tables/foundation';

/** Every table Steady keeps; each workflow adds its own interface here. */
export interface Database extends FoundationTables {}

export type Db = Kysely<Database>;
/** A connection or a transaction: repositories take either, so callers choose the transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;
