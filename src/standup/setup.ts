import { PlatformError, UserError } from '../core/errors';
import { FORM_DONE, invalid, type FormOutcome, type FormValues } from '../core/form';
import { actions, button, message, section, textMessage } from '../core/message';
import { bold, joinRich, time, user, type Span } from '../core/rich-text';
import type { HandlerContext } from '../core/workflow';
import { isTimeZone } from '../core/zoned-time';
import {
  deleteStandup,
  findParticipant,
  findStandup,
  findStandupByName,
  insertStandup,
  listParticipants,
  listStandups,
  removeParticipant,
  setStandupPaused,
  standupsOf,
  updateStandup,
} from '../storage/standup-repository';
import { findSessionOn } from '../storage/standup-session-repository';
import { announcementMessage } from './channel-messages';
import type { StandupDeps } from './deps';
import { createdMessage, listMessage, showMessage, type NextPrompt } from './info-messages';
import type { Standup, StandupSettings } from './model';
import { requireManager } from './permissions';
import { ACTION } from './prompt-messages';
import { putParticipantRule, zonesFor } from './rules';
import { JOB, cronFor, localDate, nextPromptAt, ownerOf, ruleKey } from './schedule';
import { readSetup, setupForm } from './setup-form';
import { ensureZoneSyncRule } from './zone-sync';

const UNIQUE_VIOLATION = '23505';

/** Setting stand-ups up and changing them: the form, join and leave, pause, ask now, delete, zones. */
export class Setup {
  constructor(private readonly deps: StandupDeps) {}

  /** A stand-up by the name typed after a command; an unknown name says how to find the right one. */
  async byName(workspaceId: string, typed: string, usage: string): Promise<Standup> {
    const name = typed.trim().replace(/^["“”']+|["“”']+$/g, '');
    if (!name) throw new UserError(`Which stand-up? ${usage} (/standup list shows them).`);
    const standup = await findStandupByName(this.deps.services.db, workspaceId, name);
    if (!standup) throw new UserError(`There is no stand-up called "${name.slice(0, 80)}". /standup list shows the stand-ups of this workspace.`);
    return standup;
  }

  async openCreate(ctx: HandlerContext, name: string): Promise<void> {
    const zone = await this.deps.services.people.zoneOf(ctx.actor.workspaceId, ctx.actor.userId);
    await ctx.openForm(
      setupForm({ creatorId: ctx.actor.userId, creatorZone: zone, ...(name ? { name: name.slice(0, 80) } : {}), ...(ctx.conversation ? { channel: ctx.conversation } : {}) }),
    );
  }

  async openEdit(ctx: HandlerContext, name: string): Promise<void> {
    const standup = await this.byName(ctx.actor.workspaceId, name, '/standup edit <name>');
    await requireManager(this.deps.services, ctx.actor, standup, 'edit');
    const zone = await this.deps.services.people.zoneOf(ctx.actor.workspaceId, ctx.actor.userId);
    const participants = (await listParticipants(this.deps.services.db, standup.id)).map((p) => p.userId);
    await ctx.openForm(setupForm({ existing: { standup, participants }, creatorId: standup.creatorId, creatorZone: zone }));
  }

  /** The set-up form: checked whole, the channel tried, then stored with every rule in one transaction. */
  async submit(ctx: HandlerContext, state: string | undefined, values: FormValues): Promise<FormOutcome> {
    const { db, clock } = this.deps.services;
    const existing = state === undefined ? undefined : await findStandup(db, state);
    if (state !== undefined && (!existing || existing.workspaceId !== ctx.actor.workspaceId)) throw new UserError('That stand-up was deleted meanwhile; nothing was saved.');
    if (existing) await requireManager(this.deps.services, ctx.actor, existing, 'edit');
    const read = readSetup(values, existing?.questions);
    if (!read.ok) return invalid(read.errors);
    const settings = read.value;
    const errors: Record<string, string> = {};
    const strangers = await this.strangers(ctx.actor.workspaceId, settings.participants);
    if (strangers.length) errors.participants = `I can't find ${strangers.map((s) => `"${s}"`).join(', ')} in this workspace. Choose people who are members.`;
    const strangeAdmins = await this.strangers(ctx.actor.workspaceId, settings.adminIds);
    if (strangeAdmins.length) errors.admins = `I can't find ${strangeAdmins.map((s) => `"${s}"`).join(', ')} in this workspace.`;
    const clash = await findStandupByName(db, ctx.actor.workspaceId, settings.name);
    if (clash && clash.id !== existing?.id) errors.name = `There is already a stand-up called ${clash.name}. Choose another name, or change that one with /standup edit ${clash.name}.`;
    if (Object.keys(errors).length) return invalid(errors);
    if (!existing || existing.channel !== settings.channel) {
      const refusal = await this.tryChannel(ctx, settings);
      if (refusal) return invalid({ channel: refusal });
    }
    const zones = await zonesFor(this.deps.services, { workspaceId: ctx.actor.workspaceId, zoneMode: settings.zoneMode, fixedZone: settings.fixedZone }, settings.participants);
    let standup: Standup;
    try {
      standup = await db.transaction().execute(async (trx) => {
        const now = clock.now();
        const id = existing ? existing.id : await insertStandup(trx, { workspaceId: ctx.actor.workspaceId, creatorId: ctx.actor.userId, settings, now });
        if (existing) await updateStandup(trx, id, settings, now);
        const saved = (await findStandup(trx, id))!;
        const before = existing ? await listParticipants(trx, id) : [];
        for (const gone of before.filter((p) => !settings.participants.includes(p.userId))) {
          await removeParticipant(trx, id, gone.userId);
          await this.deps.services.scheduler.removeRules({ key: ruleKey(id, gone.userId) }, trx);
        }
        const scheduleChanged = !existing || cronFor(existing.days, existing.time) !== cronFor(saved.days, saved.time);
        for (const userId of settings.participants) {
          const zone = zones.get(userId)!;
          const previous = before.find((p) => p.userId === userId);
          if (previous && !scheduleChanged && previous.ruleZone === zone) continue;
          await putParticipantRule(this.deps.services, saved, userId, zone, trx);
          if (!previous && userId !== ctx.actor.userId) {
            await this.deps.services.scheduler.enqueue(
              { kind: JOB.welcome, payload: { standupId: id, userId, addedBy: ctx.actor.userId }, runAt: now, dedupeKey: `standup-welcome:${id}:${userId}`, owner: ownerOf(id) },
              trx,
            );
          }
        }
        await ensureZoneSyncRule(this.deps.services, trx);
        return saved;
      });
    } catch (err) {
      if ((err as { code?: unknown }).code === UNIQUE_VIOLATION) return invalid({ name: `There is already a stand-up called ${settings.name}. Choose another name.` });
      throw err;
    }
    ctx.log.info({ standup: standup.id, participants: settings.participants.length, edited: Boolean(existing) }, existing ? 'stand-up edited' : 'stand-up created');
    await ctx.reply(createdMessage(standup, await this.nextPrompts(standup), Boolean(existing)));
    return FORM_DONE;
  }

  /** Ids that are not people of the workspace (unknown, left, or bots). */
  private async strangers(workspaceId: string, userIds: readonly string[]): Promise<string[]> {
    const out: string[] = [];
    for (const userId of userIds) {
      let person;
      try {
        person = await this.deps.services.people.get(workspaceId, userId);
      } catch (err) {
        if (err instanceof PlatformError && err.retryable) throw new UserError('I could not check the people just now; please submit again in a minute.');
        person = undefined;
      }
      if (!person || person.deleted || person.isBot) out.push(userId);
    }
    return out;
  }

  /** Posts the announcement: the one sure way to know the bot may post in the channel. */
  private async tryChannel(ctx: HandlerContext, settings: StandupSettings): Promise<string | undefined> {
    try {
      await this.deps.services.platforms.for(ctx.actor.workspaceId).post(settings.channel, announcementMessage(settings, ctx.actor.userId));
      return undefined;
    } catch (err) {
      if (!(err instanceof PlatformError)) throw err;
      if (err.retryable) throw new UserError('I could not reach the chat platform to check the report channel; please submit again in a minute.');
      ctx.log.info({ code: err.code }, 'report channel refused');
      return err.code === 'NOT_FOUND'
        ? 'I cannot find that channel. Choose another, or invite me to it first.'
        : 'I am not allowed to post in that channel. Invite me to it (in Slack: /invite @Steady), or choose another.';
    }
  }

  async nextPrompts(standup: Standup): Promise<NextPrompt[]> {
    const now = this.deps.services.clock.now();
    const participants = await listParticipants(this.deps.services.db, standup.id);
    return participants.map((p) => ({ userId: p.userId, zone: p.ruleZone, at: nextPromptAt(standup, p.ruleZone, now) }));
  }

  async list(ctx: HandlerContext): Promise<void> {
    const { db } = this.deps.services;
    const standups = await listStandups(db, ctx.actor.workspaceId);
    const rows = [];
    for (const standup of standups) {
      const participants = await listParticipants(db, standup.id);
      rows.push({ standup, participants: participants.length, mine: participants.some((p) => p.userId === ctx.actor.userId) });
    }
    await ctx.reply(listMessage(rows));
  }

  async show(ctx: HandlerContext, name: string): Promise<void> {
    const standup = await this.byName(ctx.actor.workspaceId, name, '/standup show <name>');
    await ctx.reply(showMessage(standup, await this.nextPrompts(standup)));
  }

  async join(ctx: HandlerContext, name: string): Promise<void> {
    const { db } = this.deps.services;
    const standup = await this.byName(ctx.actor.workspaceId, name, '/standup join <name>');
    if (await findParticipant(db, standup.id, ctx.actor.userId)) {
      await ctx.reply(['You already take part in ', bold(standup.name), '.']);
      return;
    }
    const zone = (await zonesFor(this.deps.services, standup, [ctx.actor.userId])).get(ctx.actor.userId)!;
    await db.transaction().execute((trx) => putParticipantRule(this.deps.services, standup, ctx.actor.userId, zone, trx));
    ctx.log.info({ standup: standup.id }, 'joined a stand-up');
    await ctx.reply(['You joined ', bold(standup.name), '. ', ...this.nextPhrase(standup, zone)]);
  }

  private nextPhrase(standup: Standup, zone: string): Span[] {
    const at = nextPromptAt(standup, zone, this.deps.services.clock.now());
    if (at) return ['I will ask you next on ', time(at, zone), ` (${zone}).`];
    return [standup.paused ? 'It is paused for now.' : 'It has no days to ask on.'];
  }

  async leave(ctx: HandlerContext, name: string): Promise<void> {
    const { db, scheduler } = this.deps.services;
    const standup = await this.byName(ctx.actor.workspaceId, name, '/standup leave <name>');
    const left = await db.transaction().execute(async (trx) => {
      const removed = await removeParticipant(trx, standup.id, ctx.actor.userId);
      await scheduler.removeRules({ key: ruleKey(standup.id, ctx.actor.userId) }, trx);
      return removed;
    });
    await ctx.reply(left ? ['You left ', bold(standup.name), '; it will not ask you again.'] : ['You do not take part in ', bold(standup.name), '.']);
  }

  async setPaused(ctx: HandlerContext, name: string, paused: boolean): Promise<void> {
    const { db, clock } = this.deps.services;
    const standup = await this.byName(ctx.actor.workspaceId, name, `/standup ${paused ? 'pause' : 'resume'} <name>`);
    await requireManager(this.deps.services, ctx.actor, standup, paused ? 'pause' : 'resume');
    if (standup.paused === paused) {
      await ctx.reply([bold(standup.name), paused ? ' is already paused.' : ' is not paused.']);
      return;
    }
    await setStandupPaused(db, standup.id, paused, clock.now());
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
    const standup = await this.byName(ctx.actor.workspaceId, name, '/standup now <name>');
    await requireManager(this.deps.services, ctx.actor, standup, 'ask everyone in');
    if (standup.paused) throw new UserError(`${standup.name} is paused; resume it first with /standup resume ${standup.name}.`);
    const participants = await listParticipants(db, standup.id);
    if (participants.length === 0) throw new UserError(`${standup.name} has no participants; add some with /standup edit ${standup.name}.`);
    const now = clock.now();
    const asking: string[] = [];
    const already: string[] = [];
    const zones = await zonesFor(this.deps.services, standup, participants.map((p) => p.userId));
    await db.transaction().execute(async (trx) => {
      for (const p of participants) {
        const date = localDate(now, zones.get(p.userId)!);
        if (await findSessionOn(trx, standup.id, p.userId, date)) {
          already.push(p.userId);
          continue;
        }
        const { created } = await scheduler.enqueue(
          { kind: JOB.prompt, payload: { standupId: standup.id, userId: p.userId, occurrence: now.toISOString(), manual: true }, runAt: now, dedupeKey: `standup-now:${standup.id}:${p.userId}:${date}`, owner: ownerOf(standup.id) },
          trx,
        );
        (created ? asking : already).push(p.userId);
      }
    });
    const names = (ids: string[]) => joinRich(ids.map((id) => [user(id)]), ', ');
    await ctx.reply([
      ...(asking.length ? ['Asking ', ...names(asking), ' now.'] : ['Everyone was already asked today.']),
      ...(asking.length && already.length ? [' Already asked today: ', ...names(already), '.'] : []),
    ]);
  }

  async askDelete(ctx: HandlerContext, name: string): Promise<void> {
    const standup = await this.byName(ctx.actor.workspaceId, name, '/standup delete <name>');
    await requireManager(this.deps.services, ctx.actor, standup, 'delete');
    await ctx.reply(
      message([
        section(['Delete ', bold(standup.name), '? Nobody will be asked any more and its reports go. Messages already in the channel stay.']),
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
      await deleteStandup(trx, standup.id);
    });
    ctx.log.info({ standup: standup.id }, 'stand-up deleted');
    await ctx.reply(['Deleted ', bold(standup.name), '.']);
  }

  /** `/standup tz`: the person's zone, as `/steady tz` sets it, with their stand-ups moved at once. */
  async timeZone(ctx: HandlerContext, typed: string): Promise<void> {
    const { people, db } = this.deps.services;
    const zone = typed.trim().split(/\s+/)[0] ?? '';
    if (zone && !isTimeZone(zone)) throw new UserError(`"${zone.slice(0, 64)}" is not a time zone I know. Use an IANA name such as Europe/Berlin, America/New_York or Asia/Tokyo.`);
    if (zone) await people.setTimeZone(ctx.actor, zone);
    const mine = await standupsOf(db, ctx.actor.workspaceId, ctx.actor.userId);
    const personal = await people.zoneOf(ctx.actor.workspaceId, ctx.actor.userId);
    await this.resync(ctx.actor.workspaceId, ctx.actor.userId);
    const lines: Span[][] = [];
    for (const { standup } of mine) {
      const z = standup.zoneMode === 'fixed' ? standup.fixedZone! : personal;
      lines.push([bold(standup.name), ': ', ...this.nextPhrase(standup, z)]);
    }
    await ctx.reply(textMessage([zone ? 'Your time zone is now ' : 'Your time zone is ', bold(personal), '.', ...(lines.length ? ['\n', ...joinRich(lines, '\n')] : [])]));
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
