import type { Kysely, Migration } from 'kysely';

/**
 * The echo platform's one table. Numbered past any real migration: it is a test's platform, so its
 * number must never meet one of Steady's own (a real platform takes the next number of the sequence).
 */
export const echoMigrations: Readonly<Record<string, Migration>> = {
  '9000-echo-transcript': {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('echo_transcript')
        .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('to', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .execute();
    },
  },
};
