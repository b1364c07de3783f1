import type { Block } from '../core/message';
import { plainText, spansOf, type RichText, type Span } from '../core/rich-text';
import { formatInZone } from '../core/zoned-time';
import { html, type Html } from './html';

/** What the bot's own wording needs to be shown in a page: people's names, and the reader's zone for times. */
export interface Reader {
  readonly names: ReadonlyMap<string, string>;
}

/** Every person a text names, so their names can be read at once. */
export function userIdsIn(texts: readonly RichText[]): string[] {
  const ids = new Set<string>();
  for (const text of texts) for (const span of spansOf(text)) if (typeof span !== 'string' && span.kind === 'user') ids.add(span.userId);
  return [...ids];
}

/** A text the bot says (timeline sentences, the card's fields) as HTML: every piece escaped. */
export function richHtml(text: RichText, reader: Reader): Html {
  return html`${spansOf(text).map((span) => spanHtml(span, reader))}`;
}

function spanHtml(span: Span, reader: Reader): Html | string {
  if (typeof span === 'string') return span;
  switch (span.kind) {
    case 'bold':
      return html`<strong>${span.text}</strong>`;
    case 'italic':
      return html`<em>${span.text}</em>`;
    case 'code':
      return html`<code>${span.text}</code>`;
    case 'user':
      return `@${span.name ?? reader.names.get(span.userId) ?? span.userId}`;
    case 'channel':
      return span.name ? `#${span.name.replace(/^#/, '')}` : 'the channel';
    case 'time':
      return html`<time datetime="${span.at.toISOString()}">${formatInZone(span.at, span.zone, span.style)}</time>`;
    case 'link':
      return /^https?:\/\//i.test(span.url) ? html`<a href="${span.url}">${span.label}</a>` : `${span.label} (${span.url})`;
  }
}

/** The same text as plain text with names filled in (exports). */
export function richPlain(text: RichText, reader: Reader): string {
  return plainText(
    spansOf(text).map((span) =>
      typeof span !== 'string' && span.kind === 'user' && !span.name
        ? { ...span, name: reader.names.get(span.userId) ?? span.userId }
        : span,
    ),
  );
}

/** A message's blocks (an escalation's card) as HTML; buttons are chat's and are left out. */
export function blocksHtml(blocks: readonly Block[], reader: Reader): Html {
  return html`${blocks.map((block) => {
    switch (block.type) {
      case 'header':
        return html`<h1>${block.text}</h1>`;
      case 'section':
        return html`<p class="text">${richHtml(block.text, reader)}</p>`;
      case 'context':
        return html`<p class="muted text">${richHtml(block.text, reader)}</p>`;
      case 'fields':
        return html`<dl class="fields">${block.fields.map((f) => html`<dt>${f.label}</dt><dd>${richHtml(f.value, reader)}</dd>`)}</dl>`;
      case 'divider':
        return html`<hr>`;
      case 'actions':
        return '';
    }
    return '';
  })}`;
}
