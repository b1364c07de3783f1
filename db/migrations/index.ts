import type { Migration } from 'kysely';
import * as foundation from './0001-foundation';
import * as escalations from './0002-escalations';
import * as standups from './0003-standups';
import * as handoffs from './0004-handoffs';
import * as swapLapse from './0007-swap-lapse';
import * as escalationDirectMessages from './0008-escalation-direct-messages';
import * as dropBlockerEscalationOwner from './0009-drop-blocker-escalation-owner';
import * as deliveryEngine from './0010-delivery-engine';
import * as escalationFirstWeek from './0011-escalation-first-week';
import * as dashboardLinks from './0013-dashboard-links';
import * as audit from './0014-audit';
import * as jobsWithoutFinishedIndex from './0016-jobs-without-finished-index';

/**
 * The core's migrations, in order. Listed here rather than read from the folder so that the same
 * list works from TypeScript under jest and from the compiled JavaScript. Never edit one that
 * shipped: add the next. Each platform adapter brings its own (adapters/<name>/storage/migrations),
 * numbered in the same sequence; `migrationsOf` (src/storage/migrate.ts) puts them all in one order.
 */
export const migrations: Readonly<Record<string, Migration>> = {
  '0001-foundation': foundation,
  '0002-escalations': escalations,
  '0003-standups': standups,
  '0004-handoffs': handoffs,
  '0007-swap-lapse': swapLapse,
  '0008-escalation-direct-messages': escalationDirectMessages,
  '0009-drop-blocker-escalation-owner': dropBlockerEscalationOwner,
  '0010-delivery-engine': deliveryEngine,
  '0011-escalation-first-week': escalationFirstWeek,
  '0013-dashboard-links': dashboardLinks,
  '0014-audit': audit,
  '0016-jobs-without-finished-index': jobsWithoutFinishedIndex,
};
