import type { Migration } from 'kysely';
import * as slack from './0006-slack';
import * as slackInstallations from './0015-slack-installations';

/**
 * The Slack adapter's migrations. Their names are numbered in the one sequence the core's share (the
 * Migrator applies all of them in name order) and recorded in `kysely_migration`: never rename one.
 */
export const slackMigrations: Readonly<Record<string, Migration>> = {
  '0006-slack': slack,
  '0015-slack-installations': slackInstallations,
};
