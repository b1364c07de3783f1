import type { Db } from '../../db/schema';
import { channelMentionsIn, mentionsIn } from '../../src/core/command-text';
import type { FormField, FormValue } from '../../src/core/form';
import type { Clock } from '../../src/core/clock';
import type { PeopleDirectory } from '../../src/people/people-directory';
import { findChannels, rememberChannel } from './channels-repository';
import { CONSOLE_WORKSPACE, type ConsolePlatform } from './console-platform';
import { conversationLabel } from './render';

/**
 * In Slack and Teams people and channels come from pickers, so they exist. In the terminal anything
 * can be typed: `1,2,3`, `#yesterday`, a misspelt name. So a person or a channel the console has
 * never seen is a newcomer, and needs a yes before it is used; people are seen once they acted
 * (`/as`), channels once someone was in them (`/in`), and both once agreed to.
 */
export interface Newcomers {
  readonly people: readonly string[];
  /** Channel references, `console:#ops`. */
  readonly channels: readonly string[];
}

export const NO_NEWCOMERS: Newcomers = { people: [], channels: [] };

export function hasNewcomers(n: Newcomers): boolean {
  return n.people.length > 0 || n.channels.length > 0;
}

export interface ConsoleDirectoryDeps {
  readonly db: Db;
  readonly people: PeopleDirectory;
  readonly platform: ConsolePlatform;
  readonly clock: Clock;
}

export class ConsoleDirectory {
  constructor(private readonly deps: ConsoleDirectoryDeps) {}

  /** Of the people and channels in a form field's value, those never seen. */
  async inField(field: FormField, value: FormValue | undefined): Promise<Newcomers> {
    if (field.kind === 'user' && typeof value === 'string') return this.newcomers([value], []);
    if (field.kind === 'users' && Array.isArray(value)) return this.newcomers(value, []);
    if (field.kind === 'channel' && typeof value === 'string') return this.newcomers([], [value]);
    return NO_NEWCOMERS;
  }

  /** Of the people and channels mentioned in a command's text (as the core reads it), those never seen. */
  async inText(text: string): Promise<Newcomers> {
    return this.newcomers(mentionsIn(text), channelMentionsIn(text));
  }

  async newcomers(people: readonly string[], channels: readonly string[]): Promise<Newcomers> {
    const known = await this.deps.people.known(CONSOLE_WORKSPACE, people);
    const seen = await findChannels(this.deps.db, channels);
    return {
      people: [...new Set(people)].filter((p) => !known.has(p) || known.get(p)!.deleted),
      channels: [...new Set(channels)].filter((c) => !seen.has(c)),
    };
  }

  /** From now on they exist: people as if they had acted once, channels as if someone had been in them. */
  async admit(n: Newcomers): Promise<void> {
    for (const userId of n.people) {
      this.deps.platform.introduce(userId);
      await this.deps.people.noticed({ workspaceId: CONSOLE_WORKSPACE, userId });
    }
    for (const ref of n.channels) await rememberChannel(this.deps.db, ref, this.deps.clock.now());
  }
}

/**
 * What to ask about newcomers: who or what is new, and how to go on. In a form any other answer
 * replaces the value; after a command, `/as` or `/in` first is the other way.
 */
export function newcomersQuestion(n: Newcomers, where: 'form' | 'command'): string {
  const parts: string[] = [];
  if (n.people.length)
    parts.push(`${listed(n.people.map((p) => `@${p}`))} ${n.people.length === 1 ? 'has' : 'have'} never used Steady here`);
  if (n.channels.length)
    parts.push(`${listed(n.channels.map(conversationLabel))} ${n.channels.length === 1 ? 'has' : 'have'} never been used here`);
  const them = n.people.length + n.channels.length > 1 || n.people.length === 1 ? 'them' : 'it';
  const first = n.people.length ? `/as ${n.people[0]}` : `/in ${conversationLabel(n.channels[0]!)}`;
  const otherwise = where === 'form' ? 'or type another answer' : `or ${first} first`;
  return `${capitalised(parts.join('; '))}. Type yes to add ${them}, ${otherwise}.`;
}

function listed(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
