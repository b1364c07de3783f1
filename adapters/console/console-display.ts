import type { Writable } from 'node:stream';
import type { Button, Message } from '../../src/core/message';
import type { ConversationRef, MessageRef } from '../../src/core/refs';
import { directUserOf, type ConsoleDisplay, type Shown } from './console-platform';
import { describeChange, titleOf } from './message-change';
import { conversationLabel, renderMessage } from './render';

export interface PressableButton {
  readonly actionId: string;
  readonly value: string;
  readonly message: MessageRef | undefined;
}

/** What a button number leads to: the button, or the message that no longer offers it. */
export type NumberedButton = (PressableButton & { readonly gone?: undefined }) | { readonly gone: { readonly messageNumber: number } };

interface Numbered extends PressableButton {
  /** Set once an update of its message no longer offers it. */
  goneFrom?: number;
}

/** A message as last shown, to tell what an update changed and to show it again on request. */
interface Kept {
  message: Message;
  readonly conversation: ConversationRef;
  readonly threadOf?: MessageRef;
  /** Given at its first update: the N of `/show N`. */
  number?: number;
}

/**
 * Writes what the bot says to the terminal and remembers the buttons by number. A message is shown
 * in full when posted; an update is one line saying what changed (`/show N` draws it again), and
 * the numbers of its buttons keep working as long as the message still offers them.
 */
export class TerminalDisplay implements ConsoleDisplay {
  private readonly buttons = new Map<number, Numbered>();
  private readonly buttonsOf = new Map<MessageRef, number[]>();
  private nextButton = 1;
  private readonly messages = new Map<MessageRef, Kept>();
  private readonly numbered = new Map<number, MessageRef>();
  private nextMessage = 1;
  /** Update lines come in runs; a blank line sets the run apart from the message after it. */
  private afterUpdates = false;
  private shown = 0;

  constructor(
    private readonly output: Writable,
    /** A person's zone; with no one named, the zone of whoever is at the keyboard now. */
    private readonly zoneOf: (userId?: string) => Promise<string>,
    private readonly ansi = false,
  ) {}

  /** How many messages have been shown (updates too), to tell whether the bot said anything meanwhile. */
  get shownCount(): number {
    return this.shown;
  }

  button(number: number): NumberedButton | undefined {
    const b = this.buttons.get(number);
    if (!b) return undefined;
    if (b.goneFrom !== undefined) return { gone: { messageNumber: b.goneFrom } };
    return { actionId: b.actionId, value: b.value, message: b.message };
  }

  write(text: string): void {
    this.output.write(text);
  }

  line(text = ''): void {
    this.afterUpdates = false;
    this.output.write(`${text}\n`);
  }

  async show(item: Shown): Promise<void> {
    this.shown++;
    if (item.kind === 'private') {
      const zone = await this.readerZone(item.conversation, item.userId);
      return this.draw(
        `[${conversationLabel(item.conversation)} · only @${item.userId} sees this] Steady:`,
        '  ',
        item.message,
        this.numberButtons(undefined, item.message).numbers,
        zone,
      );
    }
    if (item.updated) return this.showUpdate(item);
    this.messages.set(item.ref, {
      message: item.message,
      conversation: item.conversation,
      ...(item.threadOf ? { threadOf: item.threadOf } : {}),
    });
    const where = conversationLabel(item.conversation);
    const heading = item.threadOf ? `    ↳ [${where} · reply in thread] Steady:` : `[${where}] Steady:`;
    await this.draw(
      heading,
      item.threadOf ? '      ' : '  ',
      item.message,
      this.numberButtons(item.ref, item.message).numbers,
      await this.readerZone(item.conversation),
    );
  }

  /** `/show N`: message N in full, as it is now. False when there is no such message. */
  async showAgain(number: number): Promise<boolean> {
    const ref = this.numbered.get(number);
    const kept = ref === undefined ? undefined : this.messages.get(ref);
    if (!ref || !kept) return false;
    const heading = `[${conversationLabel(kept.conversation)}${kept.threadOf ? ' · reply in thread' : ''} · message ${number}, as it is now] Steady:`;
    await this.draw(heading, '  ', kept.message, this.numberButtons(ref, kept.message).numbers, await this.readerZone(kept.conversation));
    return true;
  }

  private async showUpdate(item: Extract<Shown, { kind: 'message' }>): Promise<void> {
    const zone = await this.readerZone(item.conversation);
    const before = this.messages.get(item.ref);
    const kept: Kept = before ?? {
      message: item.message,
      conversation: item.conversation,
      ...(item.threadOf ? { threadOf: item.threadOf } : {}),
    };
    const change = before
      ? describeChange(before.message, item.message, zone)
      : `${titleOf(item.message, zone)} → updated (it was first shown before this session)`;
    kept.message = item.message;
    this.messages.set(item.ref, kept);
    const { fresh } = this.numberButtons(item.ref, item.message);
    if (change === undefined) return;
    const number = this.numberOf(item.ref);
    const where = conversationLabel(item.conversation);
    const heading = item.threadOf ? `    ↳ [${where} · reply in thread · edited]` : `[${where} · updated]`;
    const offered = fresh.map((b) => `   [${b.number}] ${b.label}`).join('');
    this.line(`${heading} ${change}${offered}  (/show ${number})`);
    this.afterUpdates = true;
  }

  /** The number `/show` knows a kept message by, given when first needed. */
  private numberOf(ref: MessageRef): number {
    const kept = this.messages.get(ref)!;
    if (kept.number === undefined) {
      kept.number = this.nextMessage++;
      this.numbered.set(kept.number, ref);
    }
    return kept.number;
  }

  /** A message for one person reads in their zone, whoever is at the keyboard; a channel in the viewer's. */
  private readerZone(conversation: ConversationRef, userId?: string): Promise<string> {
    return this.zoneOf(userId ?? directUserOf(conversation));
  }

  private async draw(heading: string, indent: string, message: Message, numbers: ReadonlyMap<Button, number>, zone: string): Promise<void> {
    const body = renderMessage(message, { zone, numberFor: (b) => numbers.get(b)!, ansi: this.ansi });
    if (this.afterUpdates) this.line();
    this.afterUpdates = false;
    this.line(heading);
    for (const l of body) this.line(`${indent}${l}`);
    this.line();
  }

  /**
   * Numbers the message's buttons. A button its earlier version already offered keeps its number;
   * a number whose button the message no longer offers is marked gone, so pressing it says so.
   */
  private numberButtons(
    ref: MessageRef | undefined,
    message: Message,
  ): { numbers: Map<Button, number>; fresh: { number: number; label: string }[] } {
    const previous = ref === undefined ? [] : (this.buttonsOf.get(ref) ?? []);
    const numbers = new Map<Button, number>();
    const fresh: { number: number; label: string }[] = [];
    const kept = new Set<number>();
    for (const block of message.blocks) {
      if (block.type !== 'actions') continue;
      for (const b of block.buttons) {
        const same = previous.find(
          (n) => !kept.has(n) && this.buttons.get(n)?.actionId === b.actionId && this.buttons.get(n)?.value === b.value,
        );
        const number = same ?? this.nextButton++;
        if (same === undefined) {
          this.buttons.set(number, { actionId: b.actionId, value: b.value, message: ref });
          fresh.push({ number, label: b.label });
        }
        kept.add(number);
        numbers.set(b, number);
      }
    }
    if (ref !== undefined) {
      for (const n of previous) if (!kept.has(n)) this.buttons.get(n)!.goneFrom ??= this.numberOf(ref);
      this.buttonsOf.set(ref, [...kept]);
    }
    return { numbers, fresh };
  }
}
