import { splitFirstWord } from './command-text';
import type { InboundEvent } from './inbound';

/**
 * A command typed as a message, for every platform whose bots have no slash commands of their own
 * (people type `escalate Printer down`, in channels after mentioning the bot) and for the console.
 * A leading slash is accepted, as people used to slash commands type it. `help` and `home` on their
 * own are Steady's general commands. In a 1:1 chat, anything else is a direct message for the
 * workflows (answers to stand-up questions); in a channel or group chat it is an unknown command,
 * which the dispatcher answers with help. While a workflow waits for the person's answer in the 1:1
 * chat (a stand-up question), a message is that answer even when it starts with a command word
 * ("Escalate the VPN delay to IT"); a leading slash still runs a command.
 *
 * The adapter turns mentions into `<@id>` first, and asks `dispatcher.commandNames()` for `commands`
 * and `dispatcher.awaitsDirectReply(actor)` for `awaitingReply`.
 */
export type TextIntent = { readonly kind: 'event'; readonly event: InboundEvent } | { readonly kind: 'home' };

const GENERAL = 'steady';

export function intentOf(
  text: string,
  options: { readonly commands: readonly string[]; readonly personal: boolean; readonly awaitingReply?: boolean },
): TextIntent {
  const commands = new Set(options.commands);
  const { word, rest } = splitFirstWord(text);
  const command = word.replace(/^\//, '');
  if (!command) return general('help', commands);
  const generalWord = (command === 'help' || command === 'home') && !rest;
  if (options.personal && options.awaitingReply && !word.startsWith('/') && !generalWord)
    return { kind: 'event', event: { type: 'direct-message', text } };
  if (commands.has(command)) return { kind: 'event', event: { type: 'command', command, text: rest } };
  if (generalWord) return general(command === 'home' ? 'home' : 'help', commands);
  if (options.personal && !word.startsWith('/')) return { kind: 'event', event: { type: 'direct-message', text } };
  return { kind: 'event', event: { type: 'command', command, text: rest } };
}

function general(what: 'help' | 'home', commands: ReadonlySet<string>): TextIntent {
  if (commands.has(GENERAL)) return { kind: 'event', event: { type: 'command', command: GENERAL, text: what } };
  return what === 'home' ? { kind: 'home' } : { kind: 'event', event: { type: 'command', command: GENERAL, text: 'help' } };
}
