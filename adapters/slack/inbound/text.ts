import { literally } from '../../../src/core/command-text';
import { conversationRef } from '../refs';
import { isSlackConversationId, isSlackUserId } from './form-values';

/**
 * What people type, as Slack sends it (slash command text, direct messages), turned into the text
 * the core reads: mentions `<@U123|ann>` become `<@U123>`, channels `<#C123|ops>` become
 * `<#slack:T1:C123>`, links become their address, and Slack's escapes (`&lt;` …) are undone.
 * Slack's ids are upper case (`U0BOB`) and keep their case here: the core reads a mention as typed.
 */
export function coreText(text: string, teamId: string): string {
  // Slack's own markup is the only place a mention can come from; what people typed (escaped by
  // Slack) is text, even when it looks like a mention.
  return text.replace(/<([^<>]*)>|[^<]+|</g, (whole, inner: string | undefined) =>
    inner === undefined ? literally(unescapeEntities(whole)) : markup(inner, teamId),
  );
}

function markup(inner: string, teamId: string): string {
  const [target = '', label] = splitLabel(inner);
  if (target.startsWith('@'))
    return isSlackUserId(target.slice(1)) ? `<@${target.slice(1)}>` : literally(unescapeEntities(label ? `@${label}` : target));
  if (target.startsWith('#'))
    return isSlackConversationId(target.slice(1))
      ? `<#${conversationRef(teamId, target.slice(1))}>`
      : literally(unescapeEntities(label ? `#${label}` : target));
  if (target.startsWith('!')) return literally(unescapeEntities(specialMention(target.slice(1), label)));
  if (target.startsWith('mailto:')) return literally(unescapeEntities(label ?? target.slice('mailto:'.length)));
  return literally(unescapeEntities(target));
}

function splitLabel(inner: string): [string, string | undefined] {
  const bar = inner.indexOf('|');
  return bar < 0 ? [inner, undefined] : [inner.slice(0, bar), inner.slice(bar + 1)];
}

/** `<!here>`, `<!subteam^S1|@oncall>`, `<!date^…|fallback>`: kept as the words people saw, never as a live ping. */
function specialMention(target: string, label: string | undefined): string {
  if (label) return label;
  const name = target.split('^')[0] ?? target;
  return `@${name}`;
}

function unescapeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
