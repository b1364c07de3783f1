import type { Message } from '../../src/core/message';
import { renderMessage } from './render';

/**
 * What changed between two versions of a message, said in one line: the terminal shows an update
 * as that line rather than the whole message again (a change to one escalation redraws every
 * direct message about it, and a page of repeats hides what happened).
 */

const TITLE_LENGTH = 60;
const CHANGE_LENGTH = 120;

/** The message's text as lines, without its buttons. */
function textLines(msg: Message, zone: string): string[] {
  return renderMessage({ ...msg, blocks: msg.blocks.filter((b) => b.type !== 'actions') }, { zone, numberFor: () => 0 });
}

const buttonsOf = (msg: Message): string[] =>
  msg.blocks.flatMap((b) =>
    b.type === 'actions' ? b.buttons.map((button) => `${button.actionId}\n${button.value}\n${button.label}`) : [],
  );

/** At most `length` characters, cut after a whole word where one ends near the limit. */
function clip(text: string, length: number): string {
  if (text.length <= length) return text;
  const cut = text.slice(0, length - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > length * 0.7 ? cut.slice(0, space) : cut).replace(/[\s,.;:·]+$/, '')}…`;
}

/** Indices of the lines of `after` that `before` does not have, and how many of `before`'s are gone. */
function compare(before: readonly string[], after: readonly string[]): { added: number[]; removed: number[] } {
  const left = new Map<string, number>();
  for (const line of before) left.set(line, (left.get(line) ?? 0) + 1);
  const added: number[] = [];
  after.forEach((line, i) => {
    const n = left.get(line) ?? 0;
    if (n > 0) left.set(line, n - 1);
    else added.push(i);
  });
  const removed: number[] = [];
  before.forEach((line, i) => {
    const n = left.get(line) ?? 0;
    if (n > 0) {
      left.set(line, n - 1);
      removed.push(i);
    }
  });
  return { added, removed };
}

/** How the reader knows the message: its first line. */
export function titleOf(msg: Message, zone: string): string {
  return clip(textLines(msg, zone).find((l) => l.trim()) ?? 'a message', TITLE_LENGTH);
}

/**
 * `ESC-1 · SEV2 · Printer down → Status: Acknowledged by @bob`: the message by its first line as
 * the reader saw it, then the first line that is new (or gone), and how many more changed.
 * Undefined when nothing a reader could see changed. Lines are compared as drawn in UTC, so a
 * reader who changed zone in between is not told that every time changed; what is shown is drawn
 * in `zone`.
 */
export function describeChange(before: Message, after: Message, zone: string): string | undefined {
  const { added, removed } = compare(textLines(before, 'UTC'), textLines(after, 'UTC'));
  const title = titleOf(before, zone);
  // A line that changed is one added and one gone: count it once.
  const changes = Math.max(added.length, removed.length);
  if (added.length > 0) {
    const line = textLines(after, zone)[added[0]!]!.trim();
    return `${title} → ${clip(line, CHANGE_LENGTH)}${more(changes - 1)}`;
  }
  if (removed.length > 0) {
    const line = textLines(before, zone)[removed[0]!]!.trim();
    return `${title} → no longer says: ${clip(line, CHANGE_LENGTH)}${more(changes - 1)}`;
  }
  const was = buttonsOf(before);
  const now = buttonsOf(after);
  if (was.length === now.length && was.every((b, i) => b === now[i])) return undefined;
  return `${title} → ${now.length ? 'its buttons changed' : 'it has no buttons now'}`;
}

const more = (n: number) => (n > 0 ? ` (and ${n} more ${n === 1 ? 'change' : 'changes'})` : '');
