import { splitFirstWord } from '../../core/command-text';
import { UserError, errorMessage } from '../../core/errors';
import { actions, button, message, section, textMessage } from '../../core/message';
import { bold } from '../../core/rich-text';
import type { CommandHandler, HandlerContext } from '../../core/workflow';
import { toLocal } from '../../core/zoned-time';
import type { HandoffDeps } from '../deps';
import { ACTIONS } from '../messages/note';
import { openCurrentNote } from '../notes';
import { cancelOverride, listOverrides } from '../override-list';
import { setOverride } from '../overrides';
import { requestSwap } from '../swaps';
import { showHistory, showLatestNote, showRotationList, showStats, showWho } from '../reports';
import { rotationForm } from '../forms/rotation';
import { assertMayEdit, resolveRotation } from '../rotations';

/** `/handoff …`: reads the words and hands over to the service that does the work. */

export const HANDOFF_HELP = [
  '/handoff who [rotation]: who is on shift now and next',
  '/handoff note: write your handoff note now',
  '/handoff show [rotation]: the latest handoff note',
  '/handoff history <rotation> [7d], /handoff stats [rotation] [30d]: how handoffs went',
  '/handoff rotation create | list | edit <name> | delete <name>: set up shift rotations',
  '/handoff override [rotation] @who <from> <to>: put someone on for a while (local date-times, e.g. 2026-12-01 23:00)',
  '/handoff overrides [rotation]: the overrides and swaps still to come, each with a button to cancel it; /handoff override cancel <number>',
  '/handoff swap [rotation] @who <date> [their date]: offer to swap a shift; they accept or decline',
];

export function handoffCommand(deps: HandoffDeps): CommandHandler {
  return async (ctx, text) => {
    const { word, rest } = splitFirstWord(text);
    switch (word) {
      case '':
      case 'help':
        await ctx.reply(textMessage([bold('Shift handoffs'), ...HANDOFF_HELP.flatMap((l) => ['\n• ', l])]));
        return;
      case 'who':
        return showWho(deps, ctx, rest);
      case 'note':
      case 'write':
        return openCurrentNote(deps, ctx);
      case 'show':
        return showLatestNote(deps, ctx, rest);
      case 'history':
        return showHistory(deps, ctx, rest);
      case 'stats':
        return showStats(deps, ctx, rest);
      case 'rotation':
      case 'rotations':
        return rotationCommand(deps, ctx, rest);
      case 'overrides':
        return listOverrides(deps, ctx, rest);
      case 'override':
        return overrideCommand(deps, ctx, rest);
      case 'swap':
        return requestSwap(deps, ctx, rest);
      default:
        throw new UserError(`I don't know "/handoff ${word}". Try /handoff help.`);
    }
  };
}

async function overrideCommand(deps: HandoffDeps, ctx: HandlerContext, text: string): Promise<void> {
  const { word, rest } = splitFirstWord(text);
  if (word === 'list') return listOverrides(deps, ctx, rest);
  if (word === 'cancel' || word === 'remove' || word === 'delete') return cancelOverride(deps, ctx, rest);
  return setOverride(deps, ctx, text);
}

async function rotationCommand(deps: HandoffDeps, ctx: HandlerContext, text: string): Promise<void> {
  const { word, rest } = splitFirstWord(text);
  switch (word) {
    case 'create':
    case 'new': {
      const zone = await deps.services.people.zoneOf(ctx.actor.workspaceId, ctx.actor.userId);
      const today = toLocal(deps.services.clock.now(), zone).date;
      await ctx.openForm(
        rotationForm({
          defaults: { creatorId: ctx.actor.userId, zone, today, ...(ctx.conversation ? { channel: ctx.conversation } : {}) },
        }),
      );
      return;
    }
    case '':
    case 'list':
      return showRotationList(deps, ctx);
    case 'edit': {
      if (!rest) throw new UserError('Which rotation? /handoff rotation edit <name>');
      const state = await resolveRotation(deps, ctx.actor, rest);
      await assertMayEdit(deps, ctx.actor, state);
      const zone = await deps.services.people.zoneOf(ctx.actor.workspaceId, ctx.actor.userId);
      const latest = state.versions[state.versions.length - 1]!;
      await ctx.openForm(
        rotationForm({
          defaults: { creatorId: ctx.actor.userId, zone, today: toLocal(deps.services.clock.now(), zone).date },
          editing: { rotationId: state.rotation.id, name: state.rotation.name, version: latest },
        }),
      );
      return;
    }
    case 'delete':
    case 'remove': {
      if (!rest) throw new UserError('Which rotation? /handoff rotation delete <name>');
      const state = await resolveRotation(deps, ctx.actor, rest);
      await assertMayEdit(deps, ctx.actor, state);
      // A policy level paging this rotation would silently find nobody once it is gone.
      const paging = await deps.apis.escalations.policiesPaging(ctx.actor.workspaceId, state.rotation.id).catch((err: unknown) => {
        ctx.log.warn({ err: errorMessage(err) }, 'could not read the escalation policies that page the rotation');
        return [];
      });
      await ctx.reply(
        message([
          section([
            'Delete the ',
            bold(state.rotation.name),
            ' rotation? Its coming reminders stop; notes already delivered stay and can still be confirmed.',
          ]),
          ...(paging.length
            ? [
                section([
                  `Escalation ${paging.length === 1 ? 'policy' : 'policies'} ${paging.join(', ')} ${paging.length === 1 ? 'pages' : 'page'} whoever is on shift in it: that level will find nobody and be skipped. Change ${paging.length === 1 ? 'it' : 'them'} first with /escalate policy edit <name>.`,
                ]),
              ]
            : []),
          actions(button(`Delete ${state.rotation.name}`, ACTIONS.deleteRotation, state.rotation.id, 'danger')),
        ]),
      );
      return;
    }
    default:
      throw new UserError(`I don't know "/handoff rotation ${word}". Use create, list, edit <name> or delete <name>.`);
  }
}
