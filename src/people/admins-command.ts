import { parseMention, splitFirstWord } from '../core/command-text';
import { UserError } from '../core/errors';
import { message, section, type Message } from '../core/message';
import { bold, user, type Span } from '../core/rich-text';
import type { HandlerContext } from '../core/workflow';
import { requireAdmin } from './admin-gate';
import type { PeopleDirectory } from './people-directory';
import type { WorkspaceAdmins } from './workspace-admins';

export const ADMINS_HELP = [
  '/steady admins list|add @name|remove @name: the workspace admins, who manage escalation policies and settings, the digest and records (anyone may add the first)',
];

const USAGE = 'Use /steady admins list, /steady admins add @name or /steady admins remove @name.';

/**
 * `/steady admins list|add|remove`: workspace admins matter to every workflow (escalation policies,
 * stand-ups and rotations anyone else created, the digest, the audit trail), so they are managed
 * under `/steady`, not under one workflow's command.
 */
export function adminsCommand(services: { readonly admins: WorkspaceAdmins; readonly people: PeopleDirectory }) {
  const { admins, people } = services;

  return async function admin(ctx: HandlerContext, text: string): Promise<void> {
    const { word, rest } = splitFirstWord(text);
    const sub = word || 'list';
    if (sub !== 'list' && sub !== 'add' && sub !== 'remove') throw new UserError(USAGE);
    if (sub === 'list') {
      await ctx.reply(adminsMessage(await admins.list(ctx.actor.workspaceId)));
      return;
    }
    const target = parseMention(splitFirstWord(rest).typed);
    if (!target) throw new UserError(`Name the person as a mention: /steady admins ${sub} @name.`);
    if (sub === 'add') {
      const may = await admins.mayManage(ctx.actor);
      if (!may.allowed) await requireAdmin(admins, ctx.actor, 'add admins');
      const person = await people.get(ctx.actor.workspaceId, target).catch(() => undefined);
      if (!person || person.deleted || person.isBot) throw new UserError(`@${target} is not a person of this workspace.`);
      const added = await admins.add(ctx.actor, target);
      ctx.log.info({ admin: target, bootstrap: may.bootstrap }, 'workspace admin added');
      if (!added) await ctx.reply([user(target), ' is already a workspace admin.']);
      else
        await ctx.reply([
          user(target),
          ' is now a workspace admin',
          may.bootstrap ? ' (the first one of this workspace: from now on only admins can add more)' : '',
          '.',
        ]);
      return;
    }
    await requireAdmin(admins, ctx.actor, 'remove admins');
    const list = await admins.list(ctx.actor.workspaceId);
    const entry = list.find((a) => a.userId === target);
    if (!entry) throw new UserError([user(target), ' is not an admin added by command, so there is nothing to remove.']);
    if (entry.source === 'configuration')
      throw new UserError([user(target), ' is an admin by configuration (STEADY_ADMINS); change it there.']);
    if (list.length === 1) throw new UserError([user(target), ' is the only admin of this workspace. Add another admin first.']);
    await admins.remove(ctx.actor, target);
    ctx.log.info({ admin: target }, 'workspace admin removed');
    await ctx.reply([user(target), ' is no longer a workspace admin.']);
  };
}

export function adminsMessage(admins: readonly { userId: string; source: 'configuration' | 'command' }[]): Message {
  if (admins.length === 0)
    return message([section('This workspace has no admins yet. Anyone can add the first with /steady admins add @name.')]);
  const lines: Span[] = [bold('Workspace admins')];
  for (const a of admins) lines.push('\n• ', user(a.userId), a.source === 'configuration' ? ' (from configuration)' : '');
  return message([section(lines)], 'Workspace admins');
}
