import type { Clock } from '../../src/core/clock';
import type { UserProfile } from '../../src/core/platform';

/**
 * Profiles from users.info, kept in memory for a while: names and zones change rarely, and
 * Slack's users.info allows only ~100 calls a minute. The core keeps its own copy in the people
 * table; this cache spares Slack the repeats between those refreshes.
 */
export class UserCache {
  private readonly entries = new Map<string, { readonly profile: UserProfile; readonly until: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = 10 * 60_000,
    private readonly maxEntries = 10_000,
  ) {}

  get(teamId: string, userId: string): UserProfile | undefined {
    const key = `${teamId}:${userId}`;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until <= this.clock.now().getTime()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.profile;
  }

  set(teamId: string, profile: UserProfile): void {
    const key = `${teamId}:${profile.userId}`;
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { profile, until: this.clock.now().getTime() + this.ttlMs });
  }
}
