import { splitFirstWord } from '../../core/command-text';
import { DAY_MS, MINUTE_MS, formatDuration, parseDuration } from '../../core/duration';
import { bold, channel } from '../../core/rich-text';
import type { HandlerContext } from '../../core/workflow';
import { findPolicy } from '../../storage/escalation/policies-repository';
import { findEscalationSettings } from '../../storage/escalation/settings-repository';
import { requireAdmin } from '../../people/admin-gate';
import { parseChannelToken } from './parse';
import type { EscalationDeps } from '../deps';
import { describeRule, parseDueRule } from '../due-rules';
import { settingsMessage } from '../messages/admin';
import { SEVERITIES } from '../model';
import type { Policies } from '../policies';
import { belongsToWorkspace } from '../raise';
import { UserError } from '../../core/errors';
import { changeEscalationSettings, loadSettings } from '../settings';
import { describeWorkingHours, parseWorkingHours } from '../working-hours';
import type { Severity } from '../api';

const SETTINGS_USAGE =
  'Use /escalate settings channel #ops|here|none, /escalate settings policy <name>|none, /escalate settings due SEV1 1h (or "next business day 17:00", "3 business days 17:00", "default"), /escalate settings chase 2h, /escalate settings hours Mon-Fri 08:00-18:00 (or "always", "default").';

/** `/escalate settings …`. */
export class AdminCommands {
  constructor(
    private readonly deps: EscalationDeps,
    private readonly policies: Policies,
  ) {}

  async settings(ctx: HandlerContext, text: string): Promise<void> {
    const { db, clock } = this.deps.services;
    const ws = ctx.actor.workspaceId;
    const { word, rest } = splitFirstWord(text);
    if (!word) {
      const settings = await loadSettings(db, ws);
      const policy = settings.defaultPolicyId ? await findPolicy(db, ws, settings.defaultPolicyId) : undefined;
      await ctx.reply(settingsMessage(settings, policy));
      return;
    }
    if (word === 'policy') return this.policies.setDefault(ctx, rest);
    await requireAdmin(this.deps.services.admins, ctx.actor, 'change escalation settings');
    const now = clock.now();
    switch (word) {
      case 'channel': {
        const arg = rest.trim();
        if (/^none$/i.test(arg)) {
          await changeEscalationSettings(db, ctx.actor, { channel: null }, now);
          await ctx.reply('New escalations are now posted where /escalate is typed, unless the raiser picks a channel.');
          return;
        }
        const ref = !arg || /^here$/i.test(arg) ? ctx.conversation : parseChannelToken(arg);
        if (!ref)
          throw new UserError(
            `Name the channel as a channel mention, or "here" for this one: /escalate settings channel here. ${SETTINGS_USAGE}`,
          );
        if (!belongsToWorkspace(ref, ws)) throw new UserError('That channel is not in this workspace.');
        await changeEscalationSettings(db, ctx.actor, { channel: ref }, now);
        await ctx.reply(['New escalations are now posted in ', channel(ref), ' unless the raiser picks another channel.']);
        return;
      }
      case 'due': {
        const { word: sev, rest: ruleText } = splitFirstWord(rest);
        const severity = sev.toUpperCase() as Severity;
        if (!SEVERITIES.includes(severity)) throw new UserError(`Say which severity: /escalate settings due SEV2 4h. ${SETTINGS_USAGE}`);
        const stored = (await findEscalationSettings(db, ws))?.dueRules ?? {};
        const rules = { ...stored };
        if (/^default$/i.test(ruleText.trim())) delete rules[severity];
        else {
          const parsed = parseDueRule(ruleText);
          if (!parsed.ok) throw new UserError(parsed.error);
          rules[severity] = parsed.rule;
        }
        await changeEscalationSettings(db, ctx.actor, { dueRules: rules }, now);
        const settings = await loadSettings(db, ws);
        await ctx.reply([
          `New ${severity} escalations are now due `,
          bold(describeRule(settings.dueRules[severity])),
          ' after they are raised, unless the raiser gives a due time.',
        ]);
        return;
      }
      case 'chase': {
        const ms = parseDuration(rest);
        if (ms === undefined || ms < 5 * MINUTE_MS || ms > 7 * DAY_MS)
          throw new UserError('Give the interval between reminders for overdue escalations, from 5m to 7d: /escalate settings chase 2h.');
        await changeEscalationSettings(db, ctx.actor, { chaseMinutes: Math.round(ms / MINUTE_MS) }, now);
        await ctx.reply(`Overdue escalations are now chased every ${formatDuration(ms)} (from their next reminder on).`);
        return;
      }
      case 'hours': {
        const arg = rest.trim();
        if (/^default$/i.test(arg)) {
          await changeEscalationSettings(db, ctx.actor, { workingHours: null }, now);
        } else {
          const parsed = parseWorkingHours(arg);
          if (!parsed.ok) throw new UserError(`${parsed.error} E.g. /escalate settings hours Mon-Fri 08:00-18:00.`);
          await changeEscalationSettings(db, ctx.actor, { workingHours: parsed.hours }, now);
        }
        const { workingHours } = await loadSettings(db, ws);
        await ctx.reply(
          workingHours.kind === 'always'
            ? 'Overdue escalations are now chased at any hour (from their next reminder on).'
            : [
                'Overdue escalations are now chased only ',
                bold(describeWorkingHours(workingHours)),
                ", in each owner's own time zone (from their next reminder on).",
              ],
        );
        return;
      }
      default:
        throw new UserError(`I don't know the setting "${word}". ${SETTINGS_USAGE}`);
    }
  }
}
