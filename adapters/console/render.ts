import type { Button, Message } from '../../src/core/message';
import { spansOf, type RichText, type Span } from '../../src/core/rich-text';
import { formatInZone } from '../../src/core/zoned-time';

/** How the terminal shows things: in the reader's zone, buttons numbered so they can be pressed. */
export interface RenderOptions {
  /** The zone of the person reading (the console's current user). */
  readonly zone: string;
  /** The number to press for a button. */
  readonly numberFor: (button: Button) => number;
  /** Emphasis with ANSI codes (only when writing to a terminal). */
  readonly ansi?: boolean;
}

// Emphasis is drawn with ANSI codes on a terminal; elsewhere (a script's transcript, a file) the
// words stand alone: marks such as _this_ or `this` read as noise outside a chat client.
const BOLD = (s: string, ansi?: boolean) => (ansi ? `\u001b[1m${s}\u001b[22m` : s);
const ITALIC = (s: string, ansi?: boolean) => (ansi ? `\u001b[3m${s}\u001b[23m` : s);
// Ending bold also ends dim (both are code 22): dim is taken up again after bold inside it.
const DIM = (s: string, ansi?: boolean) => (ansi ? `\u001b[2m${s.replaceAll('\u001b[22m', '\u001b[22m\u001b[2m')}\u001b[22m` : s);

export function renderSpan(span: Span, options: Pick<RenderOptions, 'zone' | 'ansi'>): string {
  if (typeof span === 'string') return span;
  switch (span.kind) {
    case 'bold':
      return BOLD(span.text, options.ansi);
    case 'italic':
      return ITALIC(span.text, options.ansi);
    case 'code':
      return span.text;
    case 'user':
      return `@${span.name ?? span.userId}`;
    case 'channel':
      return span.name ? `#${span.name.replace(/^#/, '')}` : conversationLabel(span.ref);
    case 'time':
      return formatInZone(span.at, options.zone, span.style);
    case 'link':
      return `${span.label} <${span.url}>`;
  }
}

export function renderRich(text: RichText, options: Pick<RenderOptions, 'zone' | 'ansi'>): string {
  return spansOf(text)
    .map((span) => renderSpan(span, options))
    .join('');
}

/** `console:#ops` → `#ops`, `console:@alice` → `DM with @alice`. */
export function conversationLabel(ref: string): string {
  const local = ref.startsWith('console:') ? ref.slice('console:'.length) : ref;
  if (local.startsWith('@')) return `DM with ${local}`;
  return local;
}

/** The message as lines of text, without indentation (the session indents replies). */
export function renderMessage(msg: Message, options: RenderOptions): string[] {
  const lines: string[] = [];
  for (const block of msg.blocks) {
    switch (block.type) {
      case 'header':
        lines.push(BOLD(renderRich(block.text, options), options.ansi));
        break;
      case 'section':
        lines.push(...renderRich(block.text, options).split('\n'));
        break;
      case 'context':
        lines.push(
          ...renderRich(block.text, options)
            .split('\n')
            .map((l) => DIM(l, options.ansi)),
        );
        break;
      case 'fields':
        for (const field of block.fields) lines.push(`${field.label}: ${renderRich(field.value, options)}`);
        break;
      case 'actions':
        lines.push(block.buttons.map((b) => `[${options.numberFor(b)}] ${b.label}`).join('   '));
        break;
      case 'divider':
        lines.push('─'.repeat(24));
        break;
    }
  }
  return lines;
}
