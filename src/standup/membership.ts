import { UserError } from '../core/errors';
import { textMessage } from '../core/message';
import { bold, joinRich, time, type Span } from '../core/rich-text';
import type { HandlerContext } from '../core/workflow';
import { canonicalZone, zoneWarning } from '../core/zoned-time';
import { findParticipant, removeParticipant, standupsOf } from '../storage/standup/standups-repository';
import type { StandupDeps } from './deps';
import { standupNamed } from './lookup';
import type { Standup } from './model';
import { putParticipantRule, zonesFor } from './rules';
import { earliestToday, nextPromptAt, ruleKey } from './schedule';
import { datesAskedSince } from '../storage/standup/sessions-repository';

/** Taking part: joining, leaving, and one's time zone (each stand-up's rule follows it). */
export class Membership {
  constructor(private readonly deps: StandupDeps) {}

  async join(ctx: HandlerContext, name: string): Promise<void> {
    const { db } = this.deps.services;
    const standup = await standupNamed(this.deps, ctx.actor.workspaceId, name, '/standup join <name>');
    if (await findParticipant(db, standup.id, ctx.actor.userId)) {
      await ctx.reply(['You already take part in ', bold(standup.name), '.']);
      return;
    }
    const zone = (await zonesFor(this.deps.services, standup, [ctx.actor.userId])).get(ctx.actor.userId)!;
    await db.transaction().execute((trx) => putParticipantRule(this.deps.services, standup, ctx.actor.userId, zone, trx));
    ctx.log.info({ standup: standup.id }, 'joined a stand-up');
    await ctx.reply(['You joined ', bold(standup.name), '. ', ...(await this.nextPhrase(standup, ctx.actor.userId, zone))]);
  }

  private async nextPhrase(standup: Standup, userId: string, zone: string): Promise<Span[]> {
    const { db, clock } = this.deps.services;
    const now = clock.now();
    const asked = await datesAskedSince(db, standup.id, earliestToday(now), userId);
    const at = nextPromptAt(standup, zone, now, asked.get(userId));
    if (at) return ['I will ask you next on ', time(at, zone), ` (${zone}).`];
    return [standup.paused ? 'It is paused for now.' : 'It has no days to ask on.'];
  }

  async leave(ctx: HandlerContext, name: string): Promise<void> {
    const { db, scheduler } = this.deps.services;
    const standup = await standupNamed(this.deps, ctx.actor.workspaceId, name, '/standup leave <name>');
    const left = await db.transaction().execute(async (trx) => {
      const removed = await removeParticipant(trx, standup.id, ctx.actor.userId);
      await scheduler.removeRules({ key: ruleKey(standup.id, ctx.actor.userId) }, trx);
      return removed;
    });
    await ctx.reply(
      left ? ['You left ', bold(standup.name), '; it will not ask you again.'] : ['You do not take part in ', bold(standup.name), '.'],
    );
  }

  /** `/standup tz`: the person's zone, as `/steady tz` sets it, with their stand-ups moved at once. */
  async timeZone(ctx: HandlerContext, typed: string): Promise<void> {
    const { people, db } = this.deps.services;
    const given = typed.trim().split(/\s+/)[0] ?? '';
    const zone = given ? canonicalZone(given) : undefined;
    if (given && !zone)
      throw new UserError(
        `"${given.slice(0, 64)}" is not a time zone I know. Use an IANA name such as Europe/Berlin, America/New_York or Asia/Tokyo.`,
      );
    if (zone) await people.setTimeZone(ctx.actor, zone);
    const warning = zone ? zoneWarning(zone) : undefined;
    const mine = await standupsOf(db, ctx.actor.workspaceId, ctx.actor.userId);
    const personal = await people.zoneOf(ctx.actor.workspaceId, ctx.actor.userId);
    await this.resync(ctx.actor.workspaceId, ctx.actor.userId);
    const lines: Span[][] = [];
    for (const { standup } of mine) {
      const z = standup.zoneMode === 'fixed' ? standup.fixedZone! : personal;
      lines.push([bold(standup.name), ': ', ...(await this.nextPhrase(standup, ctx.actor.userId, z))]);
    }
    await ctx.reply(
      textMessage([
        zone ? 'Your time zone is now ' : 'Your time zone is ',
        bold(personal),
        '.',
        ...(warning ? [` Note: ${warning}`] : []),
        ...(lines.length ? ['\n', ...joinRich(lines, '\n')] : []),
      ]),
    );
  }

  /** Re-puts a person's rules whose zone no longer matches theirs. */
  async resync(workspaceId: string, userId: string): Promise<number> {
    const { db } = this.deps.services;
    let moved = 0;
    for (const { standup, participant } of await standupsOf(db, workspaceId, userId)) {
      const zone = (await zonesFor(this.deps.services, standup, [userId])).get(userId)!;
      if (zone === participant.ruleZone) continue;
      await db.transaction().execute((trx) => putParticipantRule(this.deps.services, standup, userId, zone, trx));
      moved++;
    }
    return moved;
  }
}
