import { richTextsOf, type Block, type Message } from './message';
import { spansOf, type RichText, type Span } from './rich-text';

/**
 * A message with one reader shows every time in that reader's zone. Where the platform draws a time
 * for each reader (a date token, a card's date function) or the console does, it is already localised,
 * but notifications and text fallbacks show a time as written: written in the reader's zone, they can
 * never show someone else's.
 */

export function hasTimes(msg: Message): boolean {
  return richTextsOf(msg).some((text) => spansOf(text).some(isTime));
}

export function inReaderZone(msg: Message, zone: string): Message {
  if (!hasTimes(msg)) return msg;
  const blocks = msg.blocks.map((block): Block => {
    switch (block.type) {
      case 'section':
      case 'context':
        return { ...block, text: rezone(block.text, zone) };
      case 'fields':
        return { ...block, fields: block.fields.map((f) => ({ ...f, value: rezone(f.value, zone) })) };
      default:
        return block;
    }
  });
  return { ...msg, blocks };
}

const isTime = (span: Span): boolean => typeof span !== 'string' && span.kind === 'time';

function rezone(text: RichText, zone: string): RichText {
  if (typeof text === 'string') return text;
  return text.map((span) => (typeof span !== 'string' && span.kind === 'time' ? { ...span, zone } : span));
}

/** The zone of one person, for the messages they alone read. */
export type ReaderZone = (workspaceId: string, userId: string) => Promise<string>;
