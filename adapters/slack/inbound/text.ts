import { conversationRef } from '../refs';

/**
 * What people type, as Slack sends it (slash command text, direct messages), turned into the text
 * the core reads: mentions `<@U123|ann>` become `<@U123>`, channels `<#C123|ops>` become
 * `<#slack:T1:C123>`, links become their address, and Slack's escapes (`&lt;` …) are undone.
 */
export function coreText(text: string, teamId: string): string {
  const replaced = text.replace(/<([^<>]*)>/g, (_whole, inner: string) => {
    const [target = '', label] = splitLabel(inner);
    if (target.startsWith('@')) return `<@${target.slice(1)}>`;
    if (target.startsWith('#')) return `<#${conversationRef(teamId, target.slice(1))}>`;
    if (target.startsWith('!')) return specialMention(target.slice(1), label);
    if (target.startsWith('mailto:')) return label ?? target.slice('mailto:'.length);
    return target;
  });
  return unescape(replaced);
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

function unescape(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
