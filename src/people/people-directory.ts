import type { Logger } from 'pino';
import type { Db } from '../../db/schema';
import type { Clock } from '../core/clock';
import { PlatformError, errorMessage } from '../core/errors';
import { FORMER_MEMBER_NAME, isFormerMember } from '../core/former-member';
import type { Platforms } from '../core/platform';
import { platformOf, type Actor } from '../core/refs';
import { canonicalZone, isTimeZone } from '../core/zoned-time';
import {
  ensureWorkspace,
  findPeople,
  findPerson,
  findWorkspace,
  setPersonTimeZone,
  upsertPerson,
  type PersonRow,
} from '../storage/people-repository';

export interface Person {
  readonly workspaceId: string;
  readonly userId: string;
  readonly displayName: string;
  /** The person's zone, or the workspace's default when they have none. */
  readonly timeZone: string;
  /** True when the zone is the person's own (set by them or reported by their platform). */
  readonly hasOwnTimeZone: boolean;
  readonly deleted: boolean;
  readonly isBot: boolean;
}

export interface PeopleDirectoryOptions {
  readonly db: Db;
  readonly platforms: Platforms;
  readonly clock: Clock;
  readonly log: Logger;
  readonly defaultTimeZone: string;
  /** How long a profile from the platform is trusted before it is asked again. */
  readonly ttlMs?: number;
}

/**
 * Who people are and what time it is for them. Profiles come from the platform (`lookupUser`) and
 * are kept in the database for `ttlMs`; a zone a person sets with `/steady tz` wins over the
 * platform's.
 */
export class PeopleDirectory {
  private readonly ttlMs: number;
  /** Workspaces known to be stored: they are never deleted, so each is written once per process, not per event. */
  private readonly storedWorkspaces = new Set<string>();

  constructor(private readonly options: PeopleDirectoryOptions) {
    this.ttlMs = options.ttlMs ?? 12 * 3_600_000;
  }

  /** Keeps the workspace and the person who acted on record; a lookup failure never blocks the event. */
  async noticed(actor: Actor, reportedTimeZone?: string): Promise<void> {
    const { db } = this.options;
    await this.ensureWorkspace(actor.workspaceId);
    try {
      await this.get(actor.workspaceId, actor.userId);
    } catch (err) {
      this.options.log.warn({ workspace: actor.workspaceId, user: actor.userId, err: errorMessage(err) }, 'profile lookup failed');
    }
    const reported = reportedTimeZone ? canonicalZone(reportedTimeZone) : undefined;
    if (reported) await setPersonTimeZone(db, actor.workspaceId, actor.userId, reported, 'platform');
  }

  /** The person, from the database while fresh, else from the platform; undefined if not a member. */
  async get(workspaceId: string, userId: string): Promise<Person | undefined> {
    const { db, clock } = this.options;
    // Someone forgotten is nobody's member any more, and the platform is not asked about them.
    if (isFormerMember(userId)) return undefined;
    const cached = await findPerson(db, workspaceId, userId);
    if (cached && clock.now().getTime() - cached.refreshed_at.getTime() < this.ttlMs) return this.resolved(cached);
    let profile;
    try {
      profile = await this.options.platforms.for(workspaceId).lookupUser(workspaceId, userId);
    } catch (err) {
      // The platform is down or asks to slow down: a profile a little out of date serves meanwhile.
      if (cached && err instanceof PlatformError && err.retryable) return this.resolved(cached);
      throw err;
    }
    if (!profile) return cached && !cached.deleted ? this.resolved(cached) : undefined;
    await this.ensureWorkspace(workspaceId);
    await upsertPerson(
      db,
      {
        workspaceId,
        userId,
        displayName: profile.displayName,
        timeZone: (profile.timeZone && canonicalZone(profile.timeZone)) || null,
        isBot: profile.isBot ?? false,
        deleted: profile.deleted ?? false,
      },
      clock.now(),
    );
    const row = await findPerson(db, workspaceId, userId);
    return row ? this.resolved(row) : undefined;
  }

  /** Several people at once, from the database only (names for listings); unknown ids are left out. */
  async known(workspaceId: string, userIds: readonly string[]): Promise<Map<string, Person>> {
    const rows = await findPeople(this.options.db, workspaceId, userIds);
    const workspaceZone = await this.workspaceZone(workspaceId);
    return new Map(rows.map((row) => [row.user_id, this.toPerson(row, workspaceZone)]));
  }

  async zoneOf(workspaceId: string, userId: string): Promise<string> {
    const person = await this.get(workspaceId, userId).catch(() => undefined);
    return person?.timeZone ?? (await this.workspaceZone(workspaceId));
  }

  async displayName(workspaceId: string, userId: string): Promise<string> {
    if (isFormerMember(userId)) return FORMER_MEMBER_NAME;
    const person = await this.get(workspaceId, userId).catch(() => undefined);
    return person?.displayName ?? userId;
  }

  async setTimeZone(actor: Actor, zone: string): Promise<void> {
    const canonical = canonicalZone(zone);
    if (!canonical) throw new RangeError(`not a time zone: ${zone}`);
    await this.noticed(actor);
    await setPersonTimeZone(this.options.db, actor.workspaceId, actor.userId, canonical, 'explicit');
  }

  private async ensureWorkspace(workspaceId: string): Promise<void> {
    if (this.storedWorkspaces.has(workspaceId)) return;
    await ensureWorkspace(this.options.db, workspaceId, platformOf(workspaceId), this.options.clock.now());
    this.storedWorkspaces.add(workspaceId);
  }

  /** The workspace's default time zone: its setting, else the configured default. */
  async workspaceZone(workspaceId: string): Promise<string> {
    const workspace = await findWorkspace(this.options.db, workspaceId);
    const zone = workspace?.settings.defaultTimeZone;
    return typeof zone === 'string' && isTimeZone(zone) ? zone : this.options.defaultTimeZone;
  }

  private async resolved(row: PersonRow): Promise<Person> {
    return this.toPerson(row, row.time_zone ? undefined : await this.workspaceZone(row.workspace_id));
  }

  private toPerson(row: PersonRow, workspaceZone?: string): Person {
    return {
      workspaceId: row.workspace_id,
      userId: row.user_id,
      displayName: row.display_name,
      timeZone: row.time_zone ?? workspaceZone ?? this.options.defaultTimeZone,
      hasOwnTimeZone: row.time_zone !== null,
      deleted: row.deleted,
      isBot: row.is_bot,
    };
  }
}
