import { plainText, spansOf, type RichText, type Span } from '../../../src/core/rich-text';
import { formatInZone, type TimeStyle } from '../../../src/core/zoned-time';
import { tryParseConversation } from '../refs';

/**
 * The core's rich text as Slack mrkdwn. Everything typed by people is escaped (`&`, `<`, `>`), so a
 * title like "Printer <!channel>" cannot ping a whole channel; only the tokens the core uses for
 * people and channels (`<@U123>`, `<#slack:T1:C1>`) stay live.
 */
export function mrkdwn(text: RichText): string {
  return spansOf(text).map(renderSpan).join('');
}

/** Text for plain_text objects (headers, labels, buttons): no markup is read there. */
export function plain(text: RichText): string {
  return plainText(text);
}

export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;
function userMention(userId: string, name?: string): string {
  return SLACK_USER_ID.test(userId) ? `<@${userId}>` : escapeMrkdwn(`@${name ?? userId}`);
}

function channelMention(ref: string, name?: string): string {
  const conversation = tryParseConversation(ref);
  if (conversation) return `<#${conversation.channelId}>`;
  return escapeMrkdwn(name ? `#${name.replace(/^#/, '')}` : 'the channel');
}

/** Slack's own date formatting, shown in each reader's zone; the fallback names the given zone. */
const DATE_TOKENS: Record<TimeStyle, string> = {
  datetime: '{date_short_pretty} {time}',
  date: '{date_short_pretty}',
  time: '{time}',
};

export function dateToken(at: Date, zone: string, style: TimeStyle): string {
  const unix = Math.floor(at.getTime() / 1000);
  const fallback = escapeMrkdwn(formatInZone(at, zone, style)).replace(/\|/g, '/');
  return `<!date^${unix}^${DATE_TOKENS[style]}|${fallback}>`;
}

/** `*text*` around each line's words: Slack only reads the marker next to a non-space character. */
function wrap(marker: string, text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(line)!;
      return m[2] ? `${m[1]}${marker}${escapeMrkdwn(m[2])}${marker}${m[3]}` : line;
    })
    .join('\n');
}

function renderLink(url: string, label: string): string {
  if (!/^(https?|mailto):/i.test(url)) return escapeMrkdwn(`${label} (${url})`);
  const safeUrl = url.replace(/\|/g, '%7C').replace(/>/g, '%3E').replace(/</g, '%3C').replace(/ /g, '%20');
  return `<${safeUrl}|${escapeMrkdwn(label).replace(/\|/g, '/')}>`;
}

function renderSpan(span: Span): string {
  // spansOf has already made the mentions in typed text into user and channel spans.
  if (typeof span === 'string') return escapeMrkdwn(span);
  switch (span.kind) {
    case 'bold':
      return wrap('*', span.text);
    case 'italic':
      return wrap('_', span.text);
    case 'code':
      return span.text ? `\`${escapeMrkdwn(span.text.replace(/`/g, "'").replace(/\n/g, ' '))}\`` : '';
    case 'user':
      return userMention(span.userId, span.name);
    case 'channel':
      return channelMention(span.ref, span.name);
    case 'time':
      return dateToken(span.at, span.zone, span.style);
    case 'link':
      return renderLink(span.url, span.label);
  }
}
