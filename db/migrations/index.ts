import type { Migration } from 'kysely';
import * as foundation from './0001-foundation';

/**
 * Every migration, in order. Listed here rather than read from the folder so that the same list
 * works from TypeScript under jest and from the compiled JavaScript. Never edit one that shipped:
 * add the next.
 */
export const migrations: Readonly<Record<string, Migration>> = {
  '0001-foundation': foundation,
};
