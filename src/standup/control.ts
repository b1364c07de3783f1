import { UserError } from '../core/errors';
import { actions, button, message, section } from '../core/message';
import { bold, joinRich, user } from '../core/rich-text';
import type { HandlerContext } from '../core/workflow';
import { deleteStandup, findStandup, listParticipants, setStandupPaused } from '../storage/standup/standups-repository';
import { sessionDaysOf } from '../storage/standup/sessions-repository';
import type { StandupDeps } from './deps';
import { standupNamed } from './lookup';
import { requireManager } from './permissions';
import { ACTION } from './messages/prompt';
import { zonesFor } from './rules';
import { auditedStandup } from './audited';
import { recordChange } from '../audit/audit-log';
import { JOB, localDate, ownerOf } from './schedule';

/** What the stand-up's managers do besides editing: pause and resume, ask everyone now, delete. */
export class Control {
  constructor(private readonly deps: StandupDeps) {}

  async setPaused(ctx: HandlerContext, name: string, paused: boolean): Promise<void> {
    const { db, clock } = this.deps.services;
    const standup = await standupNamed(this.deps, ctx.actor.workspaceId, name, `/standup ${paused ? 'pause' : 'resume'} <name>`);
    await requireManager(this.deps.services, ctx.actor, standup, paused ? 'pause' : 'resume');
    if (standup.paused === paused) {
      await ctx.reply([bold(standup.name), paused ? ' is already paused.' : ' is not paused.']);
      return;
    }
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      await setStandupPaused(trx, standup.id, paused, now);
      await recordChange(trx, ctx.actor, now, {
        action: 'standup.changed',
        subject: standup.name,
        before: { paused: standup.paused },
        after: { paused },
      });
    });
    ctx.log.info({ standup: standup.id, paused }, paused ? 'stand-up paused' : 'stand-up resumed');
    await ctx.reply(
      paused
        ? [bold(standup.name), ' is paused: nobody is asked until it is resumed (/standup resume ', standup.name, ').']
        : [bold(standup.name), ' is running again; everyone is asked at their next time.'],
    );
  }

  /** `/standup now`: everyone not yet asked today is asked at once (their own day, whatever the calendar says). */
  async askNow(ctx: HandlerContext, name: string): Promise<void> {
    const { db, clock, scheduler } = this.deps.services;
    const standup = await standupNamed(this.deps, ctx.actor.workspaceId, name, '/standup now <name>');
    await requireManager(this.deps.services, ctx.actor, standup, 'ask everyone in');
    if (standup.paused) throw new UserError(`${standup.name} is paused; resume it first with /standup resume ${standup.name}.`);
    const participants = await listParticipants(db, standup.id);
    if (participants.length === 0) throw new UserError(`${standup.name} has no participants; add some with /standup edit ${standup.name}.`);
    const now = clock.now();
    const asking: string[] = [];
    const already: string[] = [];
    const zones = await zonesFor(
      this.deps.services,
      standup,
      participants.map((p) => p.userId),
    );
    const dates = new Map(participants.map((p) => [p.userId, localDate(now, zones.get(p.userId)!)]));
    // One statement for the sessions and a few for the jobs, whatever the stand-up's size.
    await db.transaction().execute(async (trx) => {
      const asked = await sessionDaysOf(trx, standup.id, [...dates.values()]);
      const toAsk = participants.filter((p) => !asked.has(`${p.userId}|${dates.get(p.userId)}`));
      already.push(...participants.filter((p) => asked.has(`${p.userId}|${dates.get(p.userId)}`)).map((p) => p.userId));
      const keyOf = (userId: string) => `standup-now:${standup.id}:${userId}:${dates.get(userId)}`;
      const specs = toAsk.map((p) => ({
        kind: JOB.prompt,
        payload: { standupId: standup.id, userId: p.userId, occurrence: now.toISOString(), manual: true },
        runAt: now,
        dedupeKey: keyOf(p.userId),
        owner: ownerOf(standup.id),
      }));
      // A key already there means this person was asked now earlier today.
      const made = await scheduler.enqueueMany(specs, trx);
      for (const p of toAsk) (made.has(keyOf(p.userId)) ? asking : already).push(p.userId);
    });
    const names = (ids: string[]) =>
      joinRich(
        ids.map((id) => [user(id)]),
        ', ',
      );
    await ctx.reply([
      ...(asking.length ? ['Asking ', ...names(asking), ' now.'] : ['Everyone was already asked today.']),
      ...(asking.length && already.length ? [' Already asked today: ', ...names(already), '.'] : []),
    ]);
  }

  async askDelete(ctx: HandlerContext, name: string): Promise<void> {
    const standup = await standupNamed(this.deps, ctx.actor.workspaceId, name, '/standup delete <name>');
    await requireManager(this.deps.services, ctx.actor, standup, 'delete');
    await ctx.reply(
      message([
        section([
          'Delete ',
          bold(standup.name),
          '? Nobody will be asked any more and its reports go. Messages already in the channel stay.',
        ]),
        actions(button(`Delete ${standup.name}`, ACTION.delete, standup.id, 'danger')),
      ]),
    );
  }

  async delete(ctx: HandlerContext, standupId: string): Promise<void> {
    const { db, scheduler } = this.deps.services;
    const standup = await findStandup(db, standupId);
    if (!standup || standup.workspaceId !== ctx.actor.workspaceId) throw new UserError('That stand-up was already deleted.');
    await requireManager(this.deps.services, ctx.actor, standup, 'delete');
    await db.transaction().execute(async (trx) => {
      await scheduler.removeRules({ owner: ownerOf(standup.id) }, trx);
      await scheduler.cancel({ owner: ownerOf(standup.id) }, trx);
      const participants = await listParticipants(trx, standup.id);
      await deleteStandup(trx, standup.id);
      await recordChange(trx, ctx.actor, this.deps.services.clock.now(), {
        action: 'standup.removed',
        subject: standup.name,
        before: auditedStandup(
          standup,
          participants.map((p) => p.userId),
        ),
        after: null,
      });
    });
    ctx.log.info({ standup: standup.id }, 'stand-up deleted');
    await ctx.reply(['Deleted ', bold(standup.name), '.']);
  }
}
