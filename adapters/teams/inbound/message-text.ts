import { literally } from '../../../src/core/command-text';
import type { Mention } from './activity';
import { isPersonId } from './form-inputs';

/**
 * What a person typed, as the core reads commands: the bot's own @mention removed (in channels
 * people address the bot that way), other people's mentions as `<@29:…>`, Teams' HTML undone.
 */
export function commandText(text: string, mentions: readonly Mention[], botId: string): string {
  const placeholders: string[] = [];
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is taken out so that it can mark the mentions below
  let out = text.replace(/\u0000/g, '');
  for (const mention of mentions) {
    const label = mention.text ?? `<at>${mention.mentioned.name ?? ''}</at>`;
    // A tag or channel mention is no person: its name stays as text.
    if (!label || (mention.mentioned.id !== botId && !isPersonId(mention.mentioned.id))) continue;
    const replacement = mention.mentioned.id === botId ? ' ' : placeholder(placeholders, `<@${mention.mentioned.id}>`);
    out = out.split(label).join(replacement);
  }
  out = out
    .replace(/<br\s*\/?>|<\/p>|<\/div>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&quot;/gi, '"')
    .replace(/&#39;|&apos;/gi, "'")
    .replace(/&#(\d{1,6});/g, (_m, code: string) => safeChar(Number(code)))
    .replace(/&amp;/gi, '&')
    .replace(/\u00a0/g, ' ');
  // Only Teams' mention entities name people; "<@…>" typed as text stays text.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL marks a mention's place (no text can hold one)
  out = literally(out).replace(/\u0000(\d+)\u0000/g, (_m, i: string) => placeholders[Number(i)] ?? '');
  return out
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function placeholder(placeholders: string[], value: string): string {
  placeholders.push(value);
  return `\u0000${placeholders.length - 1}\u0000`;
}

function safeChar(code: number): string {
  return code > 0 && code <= 0x10ffff && code !== 0 ? String.fromCodePoint(code) : '';
}
