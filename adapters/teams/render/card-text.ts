import { spansOf, type RichText, type Span } from '../../../src/core/rich-text';
import type { TimeStyle } from '../../../src/core/zoned-time';
import type { MentionEntity } from './adaptive-card';
import { mentionName, type RenderNames } from './names';

/**
 * Rich text as the Markdown subset an Adaptive Card TextBlock understands (bold, italic, links),
 * with people as Teams mentions and times as the card's DATE()/TIME() functions, which Teams shows
 * in the reader's own zone. Returned as lines: Teams is unreliable with line breaks inside one
 * TextBlock, so each line becomes its own.
 */
export interface CardText {
  readonly lines: string[];
  readonly mentions: MentionEntity[];
}

export function cardText(text: RichText, names: RenderNames): CardText {
  const mentions: MentionEntity[] = [];
  const markdown = spansOf(text)
    .map((span) => renderSpan(span, names, mentions))
    .join('');
  return { lines: markdown.split('\n'), mentions };
}

/** Markdown characters in people's text are shown as typed, not as formatting. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/([\\*_[\]`~])/g, '\\$1')
    .replace(/\{\{/g, '{\u200b{')
    .replace(/<(?=\/?at>)/gi, '<\u200b');
}

/** The RFC 3339 form DATE() and TIME() insist on: no milliseconds. */
export function cardInstant(at: Date): string {
  return `${at.toISOString().slice(0, 19)}Z`;
}

export function cardTime(at: Date, style: TimeStyle): string {
  const instant = cardInstant(at);
  switch (style) {
    case 'date':
      return `{{DATE(${instant}, SHORT)}}`;
    case 'time':
      return `{{TIME(${instant})}}`;
    case 'datetime':
      return `{{DATE(${instant}, SHORT)}} {{TIME(${instant})}}`;
  }
}

function renderSpan(span: Span, names: RenderNames, mentions: MentionEntity[]): string {
  if (typeof span === 'string') return escapeMarkdown(span);
  switch (span.kind) {
    case 'bold':
      return perLine(span.text, (line) => `**${escapeMarkdown(line)}**`);
    case 'italic':
      return perLine(span.text, (line) => `_${escapeMarkdown(line)}_`);
    case 'code':
      return escapeMarkdown(span.text);
    case 'user': {
      const name = mentionName(span.name ?? names.users.get(span.userId) ?? span.userId);
      const text = `<at>${name}</at>`;
      mentions.push({ type: 'mention', text, mentioned: { id: span.userId, name } });
      return text;
    }
    case 'channel': {
      const label = names.channels.get(span.ref) ?? (span.name ? `#${span.name.replace(/^#/, '')}` : 'the channel');
      return `**${escapeMarkdown(label)}**`;
    }
    case 'time':
      return cardTime(span.at, span.style);
    case 'link':
      return /^https?:\/\//i.test(span.url) && !/[()\s]/.test(span.url)
        ? `[${escapeMarkdown(span.label).replace(/\n/g, ' ')}](${span.url})`
        : escapeMarkdown(`${span.label} (${span.url})`);
  }
}

function perLine(text: string, wrap: (line: string) => string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => (line.trim() ? wrap(line) : line))
    .join('\n');
}
