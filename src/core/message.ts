import { plainText, type RichText } from './rich-text';

/**
 * What the bot posts, independent of any platform. Adapters render it with pure functions
 * (to the platform's blocks or cards, or terminal text) and truncate to their platform's limits.
 */
export type Block =
  | { readonly type: 'header'; readonly text: string }
  | { readonly type: 'section'; readonly text: RichText }
  | { readonly type: 'fields'; readonly fields: readonly FieldBlock[] }
  | { readonly type: 'context'; readonly text: RichText }
  | { readonly type: 'actions'; readonly buttons: readonly Button[] }
  | { readonly type: 'divider' };

export interface FieldBlock {
  readonly label: string;
  readonly value: RichText;
}

export interface Button {
  /** Routes the press: `<workflow>.<action>`, e.g. `escalation.ack`. */
  readonly actionId: string;
  /** Opaque to platforms; the workflow reads it back (usually a record id). */
  readonly value: string;
  readonly label: string;
  readonly style?: 'primary' | 'danger';
}

export interface Message {
  readonly blocks: readonly Block[];
  /** Shown in notifications and by platforms that cannot draw blocks; derived when absent. */
  readonly fallback?: string;
}

export function message(blocks: readonly Block[], fallback?: string): Message {
  return fallback === undefined ? { blocks } : { blocks, fallback };
}

/** A message of one paragraph. */
export function textMessage(text: RichText): Message {
  return { blocks: [{ type: 'section', text }] };
}

export function header(text: string): Block {
  return { type: 'header', text };
}

export function section(text: RichText): Block {
  return { type: 'section', text };
}

export function context(text: RichText): Block {
  return { type: 'context', text };
}

export function fields(...items: FieldBlock[]): Block {
  return { type: 'fields', fields: items };
}

export function actions(...buttons: Button[]): Block {
  return { type: 'actions', buttons };
}

export const divider: Block = { type: 'divider' };

export function button(label: string, actionId: string, value: string, style?: Button['style']): Button {
  return style ? { label, actionId, value, style } : { label, actionId, value };
}

/** Every rich text a message holds (sections, context lines, field values): what mentions and times live in. */
export function richTextsOf(message: Message): RichText[] {
  return message.blocks.flatMap((block): RichText[] => {
    switch (block.type) {
      case 'section':
      case 'context':
        return [block.text];
      case 'fields':
        return block.fields.map((f) => f.value);
      default:
        return [];
    }
  });
}

/** The plain-text form of a message: its fallback, or its blocks flattened. */
export function fallbackText(msg: Message): string {
  if (msg.fallback) return msg.fallback;
  const lines: string[] = [];
  for (const block of msg.blocks) {
    switch (block.type) {
      case 'header':
        lines.push(block.text);
        break;
      case 'section':
      case 'context':
        lines.push(plainText(block.text));
        break;
      case 'fields':
        for (const f of block.fields) lines.push(`${f.label}: ${plainText(f.value)}`);
        break;
      case 'actions':
      case 'divider':
        break;
    }
  }
  return lines.join('\n');
}
