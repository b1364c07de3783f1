import type { Executor } from '../../db/schema';
import type { CoreServices } from '../core/services';
import { putParticipant } from '../storage/standup/standups-repository';
import type { Standup } from './model';
import { JOB, cronFor, ownerOf, ruleKey, zoneFor } from './schedule';

/**
 * One recurring rule per participant, in the zone that applies to them. Rules are put in the
 * caller's transaction, so a stand-up and its schedule are stored together or not at all.
 */
export async function putParticipantRule(
  services: CoreServices,
  standup: Standup,
  userId: string,
  zone: string,
  trx: Executor,
): Promise<Date | null> {
  await putParticipant(trx, standup.id, userId, zone, services.clock.now());
  return services.scheduler.putRule(
    {
      key: ruleKey(standup.id, userId),
      jobKind: JOB.prompt,
      cron: cronFor(standup.days, standup.time),
      zone,
      payload: { standupId: standup.id, userId },
      owner: ownerOf(standup.id),
    },
    trx,
  );
}

/** The zone each person is asked in; read before a transaction (the directory may ask the platform). */
export async function zonesFor(
  services: CoreServices,
  standup: Pick<Standup, 'workspaceId' | 'zoneMode' | 'fixedZone'>,
  userIds: readonly string[],
): Promise<Map<string, string>> {
  const zones = new Map<string, string>();
  // Stored people in one query (a stand-up may have thousands); only strangers are looked up one by one.
  const known = standup.zoneMode === 'fixed' ? new Map() : await services.people.known(standup.workspaceId, userIds);
  for (const userId of userIds) {
    const personal =
      standup.zoneMode === 'fixed' ? 'UTC' : (known.get(userId)?.timeZone ?? (await services.people.zoneOf(standup.workspaceId, userId)));
    zones.set(userId, zoneFor(standup, personal));
  }
  return zones;
}
