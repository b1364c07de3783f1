import { splitFirstWord } from '../core/command-text';
import { UserError } from '../core/errors';
import { homeView } from '../core/home-view';
import { message, section, type Message } from '../core/message';
import { bold, time } from '../core/rich-text';
import type { HandlerContext, Workflow } from '../core/workflow';
import { canonicalZone, zoneWarning } from '../core/zoned-time';
import type { Clock } from '../core/clock';
import type { PeopleDirectory } from './people-directory';
import { DASHBOARD_HELP } from '../dashboard/command';
import { EXPORT_HELP } from '../dashboard/export-command';
import { DIGEST_HELP, type Digest } from '../insight/digest';
import { RECORDS_HELP, type RecordsCommands } from '../audit/records-commands';
import { ADMINS_HELP, adminsCommand } from './admins-command';
import type { WorkspaceAdmins } from './workspace-admins';

export interface GeneralDeps {
  readonly people: PeopleDirectory;
  /** Who may manage the workspace: `/steady admins list|add|remove` (admins-command.ts). */
  readonly admins: WorkspaceAdmins;
  readonly clock: Clock;
  /** The other workflows, built before this one: `/steady help` lists their help lines and `/steady home` shows their parts. */
  readonly others: readonly Workflow[];
  /** The weekly digest (`/steady digest …`): its commands and its job. */
  readonly digest?: Digest;
  /** `/steady dashboard [revoke]` (src/dashboard/command.ts). */
  readonly dashboard?: (ctx: HandlerContext, rest: string) => Promise<void>;
  /** `/steady export <kind> [format] [period]` (src/dashboard/export-command.ts). */
  readonly exports?: (ctx: HandlerContext, rest: string) => Promise<void>;
  /** `/steady audit`, `/steady forget`, `/steady retention` (src/audit). */
  readonly records?: RecordsCommands;
}

/** `/steady`: help for every command, and the settings that belong to a person (their time zone). */
export function generalWorkflow(deps: GeneralDeps): Workflow {
  const admins = adminsCommand(deps);
  const help = [
    '/steady tz [zone]: show or set your time zone (IANA name, e.g. Europe/Berlin); stand-ups and due times use it',
    '/steady home: what needs you now (your escalations, stand-ups and shifts)',
    ...(deps.digest ? DIGEST_HELP : []),
    ...(deps.dashboard ? DASHBOARD_HELP : []),
    ...(deps.exports ? EXPORT_HELP : []),
    ...ADMINS_HELP,
    ...(deps.records ? RECORDS_HELP : []),
    '/steady help: this list',
  ];
  return {
    name: 'general',
    help,
    readOnly: { steady: ['', 'help', 'home', 'audit'] },
    jobs: [...(deps.digest?.jobs ?? []), ...(deps.records?.jobs ?? [])],
    ...(deps.records ? { actions: deps.records.actions } : {}),
    commands: {
      steady: async (ctx, text) => {
        const { word, rest } = splitFirstWord(text);
        switch (word) {
          case 'tz':
          case 'timezone': {
            if (!rest) {
              const person = await deps.people.get(ctx.actor.workspaceId, ctx.actor.userId);
              const zone = person?.timeZone ?? (await deps.people.zoneOf(ctx.actor.workspaceId, ctx.actor.userId));
              await ctx.reply([
                'Your time zone is ',
                bold(zone),
                person?.hasOwnTimeZone ? '' : ' (the workspace default; set yours with /steady tz <Area/City>)',
                '. It is now ',
                time(deps.clock.now(), zone),
                ' for you.',
              ]);
              return;
            }
            const typed = rest.split(/\s+/)[0]!;
            const zone = canonicalZone(typed);
            if (!zone) {
              throw new UserError(
                `"${typed.slice(0, 64)}" is not a time zone I know. Use an IANA name such as Europe/Berlin, America/New_York or Asia/Tokyo.`,
              );
            }
            await deps.people.setTimeZone(ctx.actor, zone);
            const warning = zoneWarning(zone);
            await ctx.reply([
              'Your time zone is now ',
              bold(zone),
              '. It is ',
              time(deps.clock.now(), zone),
              ' for you.',
              ...(warning ? [`\nNote: ${warning}`] : []),
            ]);
            return;
          }
          case 'digest':
            if (!deps.digest) break;
            return deps.digest.command(ctx, rest);
          case 'home':
            await ctx.reply(await homeView(deps.others, ctx.actor, ctx.log));
            return;
          case 'dashboard':
            if (!deps.dashboard) break;
            return deps.dashboard(ctx, rest);
          case 'export':
            if (!deps.exports) break;
            return deps.exports(ctx, rest);
          case 'admins':
          case 'admin':
            return admins(ctx, rest);
          case 'audit':
          case 'forget':
          case 'retention':
            if (!deps.records) break;
            return deps.records.command(ctx, word, rest);
          case '':
          case 'help':
            await ctx.reply(helpMessage([...deps.others.flatMap((w) => w.help ?? []), ...help]));
            return;
        }
        throw new UserError(`I don't know "/steady ${word}". Try ${'/steady help'}.`);
      },
    },
  };
}

/** Lines per section of the help: every platform's limit on one block's text stays far off as workflows add lines. */
const HELP_LINES_PER_SECTION = 6;

export function helpMessage(lines: readonly string[]): Message {
  const sections = [];
  for (let i = 0; i < lines.length; i += HELP_LINES_PER_SECTION) {
    const chunk = lines.slice(i, i + HELP_LINES_PER_SECTION).flatMap((line, k) => [k ? '\n• ' : '• ', line]);
    sections.push(section(i === 0 ? [bold('Steady commands'), '\n', ...chunk] : chunk));
  }
  return message(sections, 'Steady commands');
}
