import type { Generated } from 'kysely';

/** Everything the echo platform was asked to show, in order. */
export interface EchoTranscriptTable {
  id: Generated<number>;
  kind: 'post' | 'update' | 'direct' | 'private';
  /** A conversation, a person, or the message updated. */
  to: string;
  text: string;
}

/** Joins the one Database type, as a real platform's tables do (see adapters/slack/storage/tables.ts). */
declare module '../../../../db/schema' {
  interface Database {
    echo_transcript: EchoTranscriptTable;
  }
}
