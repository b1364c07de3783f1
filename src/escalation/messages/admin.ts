import { message, section, type Message } from '../../core/message';
import { bold, channel, type Span } from '../../core/rich-text';
import { describeRule } from '../due-rules';
import { SEVERITIES, type EscalationSettings, type Policy } from '../model';
import { formatDuration, MINUTE_MS } from '../../core/duration';
import { levelTargets } from './parts';
import { describeWorkingHours } from '../working-hours';

/** Listings for admins: policies and settings. */
export function policyLines(policy: Policy, isDefault: boolean): Span[] {
  const line: Span[] = [bold(policy.name), isDefault ? ' (default)' : '', ':'];
  policy.levels.forEach((level, i) => {
    line.push(`\n   ${i + 1}. `, ...levelTargets(level), `, then wait ${formatDuration(level.waitMinutes * MINUTE_MS)}`);
  });
  if (policy.repeat > 0) line.push(`\n   Repeats ${policy.repeat === 1 ? 'once' : `${policy.repeat} times`} if nobody acknowledges.`);
  return line;
}

export function policyListMessage(policies: readonly Policy[], defaultId: string | null): Message {
  if (policies.length === 0) {
    return message(
      [section('There are no escalation policies yet. An admin can create one with /escalate policy create <name>.')],
      'No escalation policies',
    );
  }
  const shown = policies.slice(0, 40);
  const blocks = [section([bold('Escalation policies')]), ...shown.map((p) => section(['• ', ...policyLines(p, p.id === defaultId)]))];
  const more = policies.length > shown.length ? ` (${policies.length - shown.length} more not shown)` : '';
  blocks.push(section(`Admins: /escalate policy create|edit|delete|default <name>${more}`));
  return message(blocks, 'Escalation policies');
}

export function settingsMessage(settings: EscalationSettings, defaultPolicy: Policy | undefined): Message {
  const lines: Span[] = [bold('Escalation settings')];
  lines.push(
    '\n• Channel for new escalations: ',
    ...(settings.channel ? [channel(settings.channel)] : ['none (the channel where /escalate is typed)']),
  );
  lines.push(`\n• Default escalation policy: ${defaultPolicy ? defaultPolicy.name : 'none'}`);
  lines.push('\n• Default due time by severity: ', SEVERITIES.map((s) => `${s} ${describeRule(settings.dueRules[s])}`).join('; '));
  const hours =
    settings.workingHours.kind === 'always'
      ? 'at any hour'
      : `only ${describeWorkingHours(settings.workingHours)} in the owner's time zone`;
  lines.push(
    `\n• Overdue escalations are chased every ${formatDuration(settings.chaseMinutes * MINUTE_MS)}, ${hours}; after the third reminder less often (each wait doubled, up to a day)`,
  );
  lines.push(
    '\nAdmins change them with /escalate settings channel #ops|here|none · policy <name>|none · due SEV1 1h · chase 2h · hours Mon-Fri 08:00-18:00|always|default',
  );
  return message([section(lines)], 'Escalation settings');
}
