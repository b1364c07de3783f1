import { parseMention, splitFirstWord } from '../core/command-text';
import { FORMER_MEMBER_ID } from '../core/former-member';
import { actions, button, message, section } from '../core/message';
import { bold, joinRich, user, type RichText, type Span } from '../core/rich-text';
import type { CoreServices } from '../core/services';
import type { HandlerContext } from '../core/workflow';
import { requireAdmin } from '../people/admin-gate';
import { UserError } from '../core/errors';
import { ACTIVE_STATUSES } from '../escalation/model';
import { ruleKey } from '../standup/schedule';
import {
  anonymiseAudit,
  anonymiseEscalations,
  cancelJobsFor,
  eraseHandoffData,
  eraseProfile,
  eraseStandupData,
} from '../storage/audit/erasure-repository';
import { listPolicies } from '../storage/escalation/policies-repository';
import { recordChange } from './audit-log';

export const FORGET_ACTION = 'steady.forget';

const USAGE = 'Use /steady forget @person; it asks you to confirm first.';

/** What `/steady forget` erased, as counts (the audit trail keeps these, never the content). */
export interface Erased {
  readonly answers: number;
  readonly notes: number;
  readonly questions: number;
  readonly profile: number;
  readonly links: number;
  readonly jobs: number;
  readonly escalations: number;
  readonly events: number;
}

/**
 * `/steady forget @person` (workspace admins): erases what the person wrote and what Steady keeps
 * about them, and keeps the escalation timelines with "a former member" in their place. It asks
 * first; a button or `/steady forget @person confirm` does it, in one transaction with its record.
 */
export function createForget(services: Pick<CoreServices, 'db' | 'clock' | 'admins' | 'scheduler' | 'platforms'>) {
  const { db, clock, admins, scheduler, platforms } = services;

  async function command(ctx: HandlerContext, rest: string): Promise<void> {
    // The mention as typed: ids are case-sensitive (`<@U0BOB>`), the lower-cased word is not the id.
    const { typed: target, rest: after } = splitFirstWord(rest);
    const userId = parseMention(target);
    if (!userId) throw new UserError(`Name the person as a mention. ${USAGE}`);
    const confirm = after.trim().toLowerCase();
    if (confirm && confirm !== 'confirm')
      throw new UserError(`"${after.trim().slice(0, 40)}" is not something /steady forget takes. ${USAGE}`);
    await requireAdmin(admins, ctx.actor, 'forget a person');
    if (userId === ctx.actor.userId) throw new UserError('You cannot forget yourself: ask another workspace admin.');
    await refuseWhileOnDuty(ctx.actor.workspaceId, userId);
    if (confirm) return forget(ctx, userId);
    await ctx.reply(
      message([
        section([
          'Forget ',
          user(userId),
          '? This erases their stand-up answers, the handoff notes they wrote and the questions they asked, their profile (name, time zone), their dashboard links, their admin rights and everything waiting to be sent to them. Escalations they raised, owned or acted on are kept, with ',
          bold('a former member'),
          ' in their place. This cannot be undone.',
        ]),
        actions(button('Forget them', FORGET_ACTION, userId, 'danger')),
      ]),
    );
    await ctx.reply(['Or type /steady forget ', user(userId), ' confirm.']);
  }

  async function press(ctx: HandlerContext, value: string): Promise<void> {
    await requireAdmin(admins, ctx.actor, 'forget a person');
    if (!value || value.length > 200 || value === ctx.actor.userId) throw new UserError(`That button is not valid any more. ${USAGE}`);
    await refuseWhileOnDuty(ctx.actor.workspaceId, value);
    await forget(ctx, value);
  }

  /** Someone who still owns open escalations or is on a policy or rotation would be paged as nobody: fixed first. */
  async function refuseWhileOnDuty(workspaceId: string, userId: string): Promise<void> {
    const owned = await db
      .selectFrom('escalations')
      .select('number')
      .where('workspace_id', '=', workspaceId)
      .where('owner_id', '=', userId)
      .where('status', 'in', ACTIVE_STATUSES)
      .orderBy('number')
      .execute();
    const policies = (await listPolicies(db, workspaceId)).filter((p) => p.levels.some((l) => l.users.includes(userId))).map((p) => p.name);
    const rotations = await rotationsWith(workspaceId, userId);
    const problems: Span[][] = [];
    if (owned.length)
      problems.push([
        `they own ${owned.map((e) => `ESC-${e.number}`).join(', ')}: reassign ${owned.length === 1 ? 'it' : 'each'} (/escalate reassign ESC-${owned[0]!.number} @name)`,
      ]);
    if (policies.length)
      problems.push([
        `they are on the escalation ${policies.length === 1 ? 'policy' : 'policies'} ${policies.join(', ')}: take them off (/escalate policy edit ${policies[0]})`,
      ]);
    if (rotations.length)
      problems.push([
        `they are in the rotation${rotations.length === 1 ? '' : 's'} ${rotations.join(', ')}: take them off (/handoff rotation edit ${rotations[0]})`,
      ]);
    if (problems.length)
      throw new UserError([
        'Not yet: ',
        user(userId),
        ' still has work Steady would otherwise page nobody for: ',
        ...joinRich(problems, '; '),
        '. Then forget them again.',
      ]);
  }

  /** Rotations (not deleted) whose current or a coming version has the person as a member or its supervisor. */
  async function rotationsWith(workspaceId: string, userId: string): Promise<string[]> {
    const now = clock.now();
    const rows = await db
      .selectFrom('rotation_versions as v')
      .innerJoin('rotations as r', 'r.id', 'v.rotation_id')
      .select(['r.id', 'r.name', 'v.effective_from', 'v.members', 'v.supervisor_id'])
      .where('r.workspace_id', '=', workspaceId)
      .where('r.deleted_at', 'is', null)
      .orderBy('v.effective_from')
      .execute();
    const names = new Set<string>();
    const byRotation = new Map<string, typeof rows>();
    for (const row of rows) byRotation.set(String(row.id), [...(byRotation.get(String(row.id)) ?? []), row]);
    for (const versions of byRotation.values()) {
      const current = versions.filter((v) => v.effective_from <= now).at(-1);
      const live = [...(current ? [current] : []), ...versions.filter((v) => v.effective_from > now)];
      if (live.some((v) => v.members.includes(userId) || v.supervisor_id === userId)) names.add(versions[0]!.name);
    }
    return [...names];
  }

  async function forget(ctx: HandlerContext, userId: string): Promise<void> {
    const ws = ctx.actor.workspaceId;
    const now = clock.now();
    const erased = await db.transaction().execute(async (trx): Promise<Erased> => {
      const participations = await trx
        .selectFrom('standup_participants as p')
        .innerJoin('standups as s', 's.id', 'p.standup_id')
        .select('p.standup_id')
        .where('s.workspace_id', '=', ws)
        .where('p.user_id', '=', userId)
        .execute();
      for (const p of participations) await scheduler.removeRules({ key: ruleKey(String(p.standup_id), userId) }, trx);
      const standups = await eraseStandupData(trx, ws, userId, FORMER_MEMBER_ID);
      const jobs = await cancelJobsFor(
        trx,
        { workspaceId: ws, userId, standupIds: standups.standupIds, sessionIds: standups.sessionIds },
        now,
      );
      const handoffs = await eraseHandoffData(trx, ws, userId, FORMER_MEMBER_ID);
      const escalations = await anonymiseEscalations(trx, ws, userId, FORMER_MEMBER_ID);
      const profile = await eraseProfile(trx, ws, userId, FORMER_MEMBER_ID);
      await anonymiseAudit(trx, ws, userId, FORMER_MEMBER_ID);
      await platforms.for(ws).forgetPerson?.(ws, userId, trx);
      const counts: Erased = {
        answers: standups.answers,
        notes: handoffs.notes,
        questions: handoffs.questions,
        profile: profile.profile,
        links: profile.links,
        jobs,
        ...escalations,
      };
      await recordChange(trx, ctx.actor, now, { action: 'person.forgotten', subject: FORMER_MEMBER_ID, before: null, after: counts });
      return counts;
    });
    ctx.log.info({ erased }, 'a person was forgotten');
    await ctx.reply(forgottenMessage(erased));
  }

  return { command, press };
}

export type Forget = ReturnType<typeof createForget>;

function forgottenMessage(e: Erased): RichText {
  const n = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
  return [
    'Done: that person is forgotten. Erased ',
    n(e.answers, 'stand-up answer', 'stand-up answers'),
    ', ',
    n(e.notes, 'handoff note', 'handoff notes'),
    ', ',
    n(e.questions, 'handoff question', 'handoff questions'),
    ', ',
    e.profile ? 'their profile' : 'no profile (none was kept)',
    ', ',
    n(e.links, 'dashboard link', 'dashboard links'),
    ' and ',
    n(e.jobs, 'pending message or reminder', 'pending messages and reminders'),
    '. ',
    n(e.escalations, 'escalation field', 'escalation fields'),
    ' and ',
    n(e.events, 'timeline entry', 'timeline entries'),
    ' now read "a former member". /steady audit shows the record of this.',
  ];
}
