/**
 * Reading what people type after a command. Adapters turn platform mentions into `<@userId>`
 * (and channel mentions into `<#ref>`) before the core sees the text.
 */

/**
 * The first word lower-cased (for matching command words), the same word as typed (for what is
 * not a command word: a platform's user ids in mentions may be upper case), and the rest as typed.
 */
export function splitFirstWord(text: string): { readonly word: string; readonly typed: string; readonly rest: string } {
  const trimmed = text.trim();
  const match = /^(\S+)\s*([\s\S]*)$/.exec(trimmed);
  if (!match) return { word: '', typed: '', rest: '' };
  return { word: match[1]!.toLowerCase(), typed: match[1]!, rest: match[2]!.trim() };
}

const MENTION = /^<@([^>|\s]+)(?:\|[^>]*)?>$/;
const MENTION_ANYWHERE = /<@([^>|\s]+)(?:\|[^>]*)?>/g;

/** The user id in a `<@id>` token, or undefined. */
export function parseMention(token: string): string | undefined {
  return MENTION.exec(token.trim())?.[1];
}

/** Every user id mentioned in the text, in order, without repeats. */
export function mentionsIn(text: string): string[] {
  return [...new Set([...text.matchAll(MENTION_ANYWHERE)].map((m) => m[1]!))];
}

const CHANNEL_MENTION_ANYWHERE = /<#([^>|\s]+)(?:\|[^>]*)?>/g;

/** Every conversation reference mentioned in the text (`<#ref>`), in order, without repeats. */
export function channelMentionsIn(text: string): string[] {
  return [...new Set([...text.matchAll(CHANNEL_MENTION_ANYWHERE)].map((m) => m[1]!))];
}

/**
 * Text as a person typed it, which is never a mention: someone who types `<@bob>` or `<#ops>`
 * literally must not name a person or a channel that no picker or mention of their platform gave.
 * A zero-width space after the `<` keeps the text as it looks and the mention syntax unread.
 */
export function literally(text: string): string {
  return text.replace(/<([@#])/g, '<\u200b$1');
}

/** Splits on whitespace but keeps "quoted phrases" together. */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/"([^"]*)"|(\S+)/g)) out.push(m[1] ?? m[2]!);
  return out;
}
