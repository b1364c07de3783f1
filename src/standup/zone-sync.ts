import type { Logger } from 'pino';
import type { Executor } from '../../db/schema';
import type { CoreServices } from '../core/services';
import { findStandup, personalZoneParticipants } from '../storage/standup/standups-repository';
import { putParticipantRule } from './rules';
import { JOB } from './schedule';

const RULE_KEY = 'standup:zone-sync';

/**
 * People change their zone with `/steady tz` (or their platform reports a new one) without telling
 * stand-ups. Every hour their rules are compared with the zones on record and re-put where
 * they differ, so someone who moved is asked at 09:30 where they are now, not where they were. The
 * prompt job checks again, for whatever changed within the hour.
 */
export async function ensureZoneSyncRule(services: CoreServices, trx: Executor): Promise<void> {
  await services.scheduler.putRule({ key: RULE_KEY, jobKind: JOB.zoneSync, cron: '17 * * * *', zone: 'UTC', payload: {} }, trx);
}

export async function syncZones(services: CoreServices, log: Logger): Promise<number> {
  const { db, people } = services;
  const rows = await personalZoneParticipants(db);
  let moved = 0;
  const byWorkspace = new Map<string, typeof rows>();
  for (const row of rows) byWorkspace.set(row.workspaceId, [...(byWorkspace.get(row.workspaceId) ?? []), row]);
  for (const [workspaceId, participants] of byWorkspace) {
    // From the database only: this runs often and must not ask the platform about everyone.
    const known = await people.known(workspaceId, [...new Set(participants.map((p) => p.userId))]);
    for (const p of participants) {
      const zone = known.get(p.userId)?.timeZone;
      if (!zone || zone === p.ruleZone) continue;
      const standup = await findStandup(db, p.standupId);
      if (!standup) continue;
      await db.transaction().execute((trx) => putParticipantRule(services, standup, p.userId, zone, trx));
      log.info({ standup: p.standupId, user: p.userId, from: p.ruleZone, to: zone }, 'participant moved zone; rule re-put');
      moved++;
    }
  }
  return moved;
}
