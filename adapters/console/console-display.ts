import type { Writable } from 'node:stream';
import type { Button } from '../../src/core/message';
import type { MessageRef } from '../../src/core/refs';
import type { ConsoleDisplay, Shown } from './console-platform';
import { conversationLabel, renderMessage } from './render';

export interface PressableButton {
  readonly actionId: string;
  readonly value: string;
  readonly message: MessageRef | undefined;
}

/** Writes what the bot says to the terminal and remembers the buttons by number. */
export class TerminalDisplay implements ConsoleDisplay {
  private readonly buttons = new Map<number, PressableButton>();
  private nextButton = 1;
  private shown = 0;

  constructor(
    private readonly output: Writable,
    /** The zone of whoever is at the keyboard now. */
    private readonly viewerZone: () => Promise<string>,
    private readonly ansi = false,
  ) {}

  /** How many messages have been shown, to tell whether the bot said anything meanwhile. */
  get shownCount(): number {
    return this.shown;
  }

  button(number: number): PressableButton | undefined {
    return this.buttons.get(number);
  }

  write(text: string): void {
    this.output.write(text);
  }

  line(text = ''): void {
    this.output.write(`${text}\n`);
  }

  async show(item: Shown): Promise<void> {
    this.shown++;
    const zone = await this.viewerZone();
    const messageRef = item.kind === 'message' ? item.ref : undefined;
    const numberFor = (b: Button) => {
      const n = this.nextButton++;
      this.buttons.set(n, { actionId: b.actionId, value: b.value, message: messageRef });
      return n;
    };
    const body = renderMessage(item.message, { zone, numberFor, ansi: this.ansi });
    const where = conversationLabel(item.conversation);
    let heading: string;
    let indent = '  ';
    if (item.kind === 'private') heading = `[${where} · only @${item.userId} sees this] Steady:`;
    else if (item.threadOf) {
      heading = `    ↳ [${where} · reply in thread${item.updated ? ' · edited' : ''}] Steady:`;
      indent = '      ';
    } else heading = `[${where}${item.updated ? ' · message updated' : ''}] Steady:`;
    this.line(heading);
    for (const l of body) this.line(`${indent}${l}`);
    this.line();
  }
}
