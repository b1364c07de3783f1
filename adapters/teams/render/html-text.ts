import { spansOf, type RichText, type Span } from '../../../src/core/rich-text';
import { formatInZone } from '../../../src/core/zoned-time';
import type { MentionEntity } from './adaptive-card';
import { mentionName, type RenderNames } from './names';

/**
 * Rich text as the HTML a Teams text message shows (textFormat "xml"): exact escaping, real line
 * breaks, inline code. Times are written in the zone the span names, with the zone shown, because
 * a text message cannot localise them (cards can: see card-text.ts).
 */
export interface HtmlText {
  readonly html: string;
  readonly mentions: MentionEntity[];
}

export function htmlText(text: RichText, names: RenderNames): HtmlText {
  const mentions: MentionEntity[] = [];
  const html = spansOf(text)
    .map((span) => renderSpan(span, names, mentions))
    .join('');
  return { html, mentions };
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\r\n?|\n/g, '<br>');
}

function renderSpan(span: Span, names: RenderNames, mentions: MentionEntity[]): string {
  if (typeof span === 'string') return escapeHtml(span);
  switch (span.kind) {
    case 'bold':
      return `<b>${escapeHtml(span.text)}</b>`;
    case 'italic':
      return `<i>${escapeHtml(span.text)}</i>`;
    case 'code':
      return `<code>${escapeHtml(span.text)}</code>`;
    case 'user': {
      const name = mentionName(span.name ?? names.users.get(span.userId) ?? span.userId);
      const text = `<at>${escapeHtml(name)}</at>`;
      mentions.push({ type: 'mention', text, mentioned: { id: span.userId, name } });
      return text;
    }
    case 'channel':
      return `<b>${escapeHtml(names.channels.get(span.ref) ?? (span.name ? `#${span.name.replace(/^#/, '')}` : 'the channel'))}</b>`;
    case 'time':
      return escapeHtml(formatInZone(span.at, span.zone, span.style));
    case 'link':
      return /^https?:\/\//i.test(span.url)
        ? `<a href="${escapeHtml(span.url)}">${escapeHtml(span.label)}</a>`
        : escapeHtml(`${span.label} (${span.url})`);
  }
}
