/**
 * The terminal's channels exist once someone has been in them (`/in #ops`) or agreed to a new one;
 * a channel typed into a form or command that is not here is asked about first, as a typo would be.
 */
export interface ConsoleChannelsTable {
  /** `console:#ops` */
  ref: string;
  first_seen_at: Date;
}

/** The console's table joins the one Database type from here (see adapters/slack/storage/tables.ts). */
declare module '../../../db/schema' {
  interface Database {
    console_channels: ConsoleChannelsTable;
  }
}
