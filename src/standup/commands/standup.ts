import { splitFirstWord } from '../../core/command-text';
import { UserError } from '../../core/errors';
import { textMessage } from '../../core/message';
import { bold } from '../../core/rich-text';
import type { CommandHandler, HandlerContext } from '../../core/workflow';
import { addDays } from '../../core/zoned-time';
import { listParticipants } from '../../storage/standup/standups-repository';
import { sessionsSince } from '../../storage/standup/sessions-repository';
import type { Away } from '../away';
import type { StandupDeps } from '../deps';
import { HELP_LINES } from '../messages/info';
import { computeReport, reportMessage } from '../report';
import { localDate } from '../schedule';
import type { Control } from '../control';
import { standupNamed } from '../lookup';
import type { Membership } from '../membership';
import type { Setup } from '../setup';

/** `/standup <what> …`: reads the first word and hands the rest to the part that does it. */
export interface CommandParts {
  readonly setup: Setup;
  readonly membership: Membership;
  readonly control: Control;
  readonly away: Away;
}

export function standupCommand(deps: StandupDeps, parts: CommandParts): CommandHandler {
  const { setup, membership, control, away } = parts;
  return async (ctx, text) => {
    const { word, rest } = splitFirstWord(text);
    switch (word) {
      case 'create':
      case 'new':
        return setup.openCreate(ctx, rest);
      case 'list':
        return setup.list(ctx);
      case 'show':
        return setup.show(ctx, rest);
      case 'edit':
        return setup.openEdit(ctx, rest);
      case 'join':
        return membership.join(ctx, rest);
      case 'leave':
        return membership.leave(ctx, rest);
      case 'skip':
        return away.skip(ctx, rest);
      case 'back':
        return away.back(ctx);
      case 'pause':
        return control.setPaused(ctx, rest, true);
      case 'resume':
        return control.setPaused(ctx, rest, false);
      case 'now':
        return control.askNow(ctx, rest);
      case 'delete':
        return control.askDelete(ctx, rest);
      case 'report':
        return report(deps, ctx, rest);
      case 'tz':
      case 'timezone':
        return membership.timeZone(ctx, rest);
      case '':
      case 'help':
        return ctx.reply(textMessage([bold('Stand-ups'), ...HELP_LINES.flatMap((line) => ['\n• ', line])]));
      default:
        throw new UserError(`I don't know "/standup ${word.slice(0, 40)}". /standup help lists what it does.`);
    }
  };
}

/** `/standup report <name> [7d|30d]`: the figures per person over the last days, in the asker's calendar. */
async function report(deps: StandupDeps, ctx: HandlerContext, rest: string): Promise<void> {
  // [\s\S]: a name may run over a line break (pasted text); it then names no stand-up, and is refused as such.
  const match = /^([\s\S]*?)(?:\s+(\d{1,3})d)?$/i.exec(rest.trim())!;
  const days = match[2] ? Number(match[2]) : 7;
  if (days < 1 || days > 90) throw new UserError('Reports cover 1 to 90 days, e.g. /standup report Daily 30d.');
  const standup = await standupNamed(deps, ctx.actor.workspaceId, match[1]!, '/standup report <name> [7d|30d]');
  const { db, clock, people } = deps.services;
  const now = clock.now();
  const to = localDate(now, await people.zoneOf(ctx.actor.workspaceId, ctx.actor.userId));
  const from = addDays(to, -(days - 1));
  const sessions = (await sessionsSince(db, standup.id, from)).filter((s) => s.date <= addDays(to, 1));
  const participants = (await listParticipants(db, standup.id)).map((p) => p.userId);
  await ctx.reply(reportMessage({ standupName: standup.name, days, from, to, figures: computeReport(sessions, participants, now) }));
}
