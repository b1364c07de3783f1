import { PlatformError, UserError } from '../core/errors';
import { isConversationOf } from '../core/refs';
import { recordIdState } from '../core/form-state';
import { FORM_DONE, invalid, type FormOutcome, type FormValues } from '../core/form';
import type { HandlerContext } from '../core/workflow';
import { toLocal } from '../core/zoned-time';
import {
  findStandup,
  findStandupByName,
  insertStandup,
  listParticipants,
  listStandups,
  removeParticipant,
  updateStandup,
} from '../storage/standup/standups-repository';
import { announcementMessage } from './messages/channel';
import type { StandupDeps } from './deps';
import { RetryLater } from '../scheduler/job';
import { createdMessage, listMessage, showMessage, type NextPrompt } from './messages/info';
import type { Standup, StandupSettings } from './model';
import { requireManager } from './permissions';
import { putParticipantRule, zonesFor } from './rules';
import { JOB, cronFor, earliestToday, nextPromptAt, ownerOf, ruleKey } from './schedule';
import { datesAskedSince } from '../storage/standup/sessions-repository';
import { isUniqueViolation } from '../storage/unique-violation';
import { standupNamed } from './lookup';
import { readSetup, setupForm } from './forms/setup';
import { ensureZoneSyncRule } from './zone-sync';
import { auditedStandup } from './audited';
import { recordChange } from '../audit/audit-log';

/** The unique constraint that keeps stand-up names apart per workspace (migration 0003). */
const NAME_CONSTRAINT = 'standups_name_unique';

/** Setting a stand-up up and changing it with the form; listing and showing stand-ups. */
export class Setup {
  constructor(private readonly deps: StandupDeps) {}

  async openCreate(ctx: HandlerContext, name: string): Promise<void> {
    const zone = await this.deps.services.people.zoneOf(ctx.actor.workspaceId, ctx.actor.userId);
    await ctx.openForm(
      setupForm({
        creatorId: ctx.actor.userId,
        creatorZone: zone,
        ...(name ? { name } : {}),
        ...(ctx.conversation ? { channel: ctx.conversation } : {}),
      }),
    );
  }

  async openEdit(ctx: HandlerContext, name: string): Promise<void> {
    const standup = await standupNamed(this.deps, ctx.actor.workspaceId, name, '/standup edit <name>');
    await requireManager(this.deps.services, ctx.actor, standup, 'edit');
    const zone = await this.deps.services.people.zoneOf(ctx.actor.workspaceId, ctx.actor.userId);
    const participants = (await listParticipants(this.deps.services.db, standup.id)).map((p) => p.userId);
    await ctx.openForm(setupForm({ existing: { standup, participants }, creatorId: standup.creatorId, creatorZone: zone }));
  }

  /** The set-up form: checked whole, the channel tried, then stored with every rule in one transaction. */
  async submit(ctx: HandlerContext, state: string | undefined, values: FormValues): Promise<FormOutcome> {
    const { db, clock } = this.deps.services;
    const existing = state === undefined ? undefined : await findStandup(db, recordIdState(state));
    if (state !== undefined && (!existing || existing.workspaceId !== ctx.actor.workspaceId))
      throw new UserError('That stand-up was deleted meanwhile; nothing was saved.');
    if (existing) await requireManager(this.deps.services, ctx.actor, existing, 'edit');
    const zone = await this.deps.services.people.zoneOf(ctx.actor.workspaceId, ctx.actor.userId);
    const read = readSetup(values, existing?.questions, { today: toLocal(clock.now(), zone).date, saved: existing?.holidays ?? [] });
    if (!read.ok) return invalid(read.errors);
    const settings = read.value;
    const errors: Record<string, string> = {};
    const strangers = await this.strangers(ctx.actor.workspaceId, settings.participants);
    if (strangers.length)
      errors.participants = `I can't find ${strangers.map((s) => `"${s}"`).join(', ')} in this workspace. Choose people who are members.`;
    const strangeAdmins = await this.strangers(ctx.actor.workspaceId, settings.adminIds);
    if (strangeAdmins.length) errors.admins = `I can't find ${strangeAdmins.map((s) => `"${s}"`).join(', ')} in this workspace.`;
    if (!isConversationOf(settings.channel, ctx.actor.workspaceId)) errors.channel = 'Choose the report channel from the list.';
    const clash = await findStandupByName(db, ctx.actor.workspaceId, settings.name);
    if (clash && clash.id !== existing?.id)
      errors.name = `There is already a stand-up called ${clash.name}. Choose another name, or change that one with /standup edit ${clash.name}.`;
    if (Object.keys(errors).length) return invalid(errors);
    if (!existing || existing.channel !== settings.channel) {
      const refusal = await this.tryChannel(ctx, settings);
      if (refusal) return invalid({ channel: refusal });
    }
    const zones = await zonesFor(
      this.deps.services,
      { workspaceId: ctx.actor.workspaceId, zoneMode: settings.zoneMode, fixedZone: settings.fixedZone },
      settings.participants,
    );
    let standup: Standup;
    try {
      standup = await db.transaction().execute(async (trx) => {
        const now = clock.now();
        const id = existing
          ? existing.id
          : await insertStandup(trx, { workspaceId: ctx.actor.workspaceId, creatorId: ctx.actor.userId, settings, now });
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
              {
                kind: JOB.welcome,
                payload: { standupId: id, userId, addedBy: ctx.actor.userId },
                runAt: now,
                dedupeKey: `standup-welcome:${id}:${userId}`,
                owner: ownerOf(id),
              },
              trx,
            );
          }
        }
        await ensureZoneSyncRule(this.deps.services, trx);
        await recordChange(trx, ctx.actor, now, {
          action: existing ? 'standup.changed' : 'standup.created',
          subject: saved.name,
          before: existing
            ? auditedStandup(
                existing,
                before.map((p) => p.userId),
              )
            : null,
          after: auditedStandup(saved, settings.participants),
        });
        return saved;
      });
    } catch (err) {
      if (isUniqueViolation(err, NAME_CONSTRAINT))
        return invalid({ name: `There is already a stand-up called ${settings.name}. Choose another name.` });
      throw err;
    }
    ctx.log.info(
      { standup: standup.id, participants: settings.participants.length, edited: Boolean(existing) },
      existing ? 'stand-up edited' : 'stand-up created',
    );
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
        if (err instanceof PlatformError && err.retryable)
          throw new UserError('I could not check the people just now; please submit again in a minute.');
        person = undefined;
      }
      if (!person || person.deleted || person.isBot) out.push(userId);
    }
    return out;
  }

  /** Posts the announcement: the one sure way to know the bot may post in the channel. */
  private async tryChannel(ctx: HandlerContext, settings: StandupSettings): Promise<string | undefined> {
    let sent;
    try {
      sent = await this.deps.services.outbox.post({
        key: `standup-announcement:${ctx.actor.workspaceId}:${settings.name}:${ctx.interaction.correlationId}`,
        to: { workspaceId: ctx.actor.workspaceId, conversation: settings.channel },
        message: announcementMessage(settings, ctx.actor.userId),
      });
    } catch (err) {
      if (!(err instanceof PlatformError || err instanceof RetryLater)) throw err;
      throw new UserError('I could not reach the chat platform to check the report channel; please submit again in a minute.');
    }
    if (sent.ok) return undefined;
    ctx.log.info({ code: sent.code }, 'report channel refused');
    const { invite } = this.deps.services.platforms.wordingFor(ctx.actor.workspaceId);
    return sent.code === 'NOT_FOUND'
      ? 'I cannot find that channel. Choose another, or invite me to it first.'
      : `I am not allowed to post in that channel. Invite me to it${invite ? ` (${invite})` : ''}, or choose another.`;
  }

  async nextPrompts(standup: Standup): Promise<NextPrompt[]> {
    const { db, clock } = this.deps.services;
    const now = clock.now();
    const participants = await listParticipants(db, standup.id);
    const asked = await datesAskedSince(db, standup.id, earliestToday(now));
    return participants.map((p) => ({
      userId: p.userId,
      zone: p.ruleZone,
      at: nextPromptAt(standup, p.ruleZone, now, asked.get(p.userId)),
    }));
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
    const standup = await standupNamed(this.deps, ctx.actor.workspaceId, name, '/standup show <name>');
    await ctx.reply(showMessage(standup, await this.nextPrompts(standup)));
  }
}
