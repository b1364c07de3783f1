import { randomUUID } from 'node:crypto';
import { createInterface, type Interface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { z } from 'zod';
import { literally, splitFirstWord } from '../../src/core/command-text';
import { intentOf } from '../../src/core/typed-command';
import { cleanText } from '../../src/core/clean-text';
import { formatDuration, parseDuration } from '../../src/core/duration';
import type { Form, FormValue } from '../../src/core/form';
import type { InboundEvent, Interaction } from '../../src/core/inbound';
import type { ConversationRef } from '../../src/core/refs';
import { canonicalZone, formatInZone, zoneWarning } from '../../src/core/zoned-time';
import { advanceThrough, type MovableClock } from '../../src/scheduler/advance';
import type { KeptRequest } from '../../src/inbound/kept-requests';
import type { Steady } from '../../src/steady';
import type { TerminalDisplay } from './console-display';
import { CONSOLE_WORKSPACE, channelRef, directRef } from './console-platform';
import { USER_NAME, initialText, initialValue, parseFieldInput, promptFor } from './form-input';
import { hasNewcomers, newcomersQuestion, type ConsoleDirectory, type Newcomers } from './newcomers';
import { renderRich } from './render';
import { waitForNews } from './wait-for-news';

interface OpenForm {
  readonly form: Form;
  readonly values: Record<string, FormValue | undefined>;
  /** Indices of the fields still to ask, in order. */
  readonly queue: number[];
  readonly conversation: ConversationRef;
}

/** The clock /wait moves; the console's own also keeps where it took it (console-clock.ts). */
export type SessionClock = MovableClock & { keep?(at?: Date): Promise<void> };

/** People or channels never seen, waiting for a yes before what named them goes on. */
interface PendingNewcomers {
  readonly newcomers: Newcomers;
  readonly proceed: () => Promise<void>;
}

export interface ConsoleSessionOptions {
  readonly input: Readable;
  readonly display: TerminalDisplay;
  readonly steady: Steady;
  readonly clock: SessionClock;
  readonly log: Logger;
  readonly user: string;
  readonly channel?: string;
  /** Who and which channels the terminal has seen; others are asked about first. */
  readonly directory: ConsoleDirectory;
  /** Show each line read, as a terminal would have: for input piped from a script. */
  readonly echo?: boolean;
}

const FORM_HELP = [
  'Inside a form: Enter keeps the value in [brackets], - clears it, /cancel stops the form, /quit leaves Steady.',
  '  An answer that starts with / is typed with two: //var is full.',
];

const HELP = [
  'You are typing as a person of a local workspace. Lines starting with / are commands:',
  '  /as <name> [zone]   become someone else (a new name joins the workspace), e.g. /as alice Europe/Berlin',
  '  /in #channel        type commands in another channel (default #general)',
  '  <number>            press the button with that number',
  '  /show <n>           show an updated message in full (an update is shown as one line ending in (/show n))',
  '  /wait <duration>    let time pass (e.g. /wait 30m, /wait 1d) and see what the bot does meanwhile',
  '  /wait               let time pass until the bot next says something (at most a week)',
  '  /quit               leave (Ctrl-D works too), also in the middle of a form',
  "  /escalate, /standup, /handoff, /steady …  Steady's own commands, as in Slack",
  'Anything else is a direct message to the bot (e.g. answers to stand-up questions).',
  ...FORM_HELP,
];

/** The console's own commands; with the workflows' commands, what a line in a form cannot answer. */
const CONSOLE_COMMANDS = new Set(['as', 'in', 'press', 'wait', 'show', 'help', 'quit', 'exit', 'cancel']);

/**
 * The terminal chat: reads lines (a person typing, or a script piped in), turns them into the same
 * inbound events Slack and Teams produce, and shows what the bot does. After every line the
 * scheduler runs once, so anything due now appears right away and a scripted session is repeatable.
 */
export class ConsoleSession {
  private user: string;
  private channel: ConversationRef;
  private form: OpenForm | undefined;
  private pending: PendingNewcomers | undefined;
  private quitting = false;
  private lines: Interface | undefined;

  constructor(private readonly options: ConsoleSessionOptions) {
    this.user = options.user;
    this.channel = channelRef(options.channel ?? 'general');
  }

  get currentUser(): string {
    return this.user;
  }

  /** Runs until end of input or /quit. */
  async run(): Promise<void> {
    const { display } = this.options;
    display.line(`Steady console: you are @${this.user} in ${this.channel.slice('console:'.length)}. Type /help for how this works.`);
    await this.options.directory.admit({ people: [this.user], channels: [this.channel] });
    const lines = createInterface({ input: this.options.input, terminal: false, crlfDelay: Infinity });
    this.lines = lines;
    for await (const line of lines) {
      if (this.options.echo) display.write(this.form ? line : `@${this.user}> ${line}\n`);
      try {
        await this.handleLine(line);
        await this.options.steady.scheduler.tick();
      } catch (err) {
        this.options.log.error({ err }, 'console line failed');
        display.line(`Something went wrong: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (this.quitting) break;
    }
    // Input ended (Ctrl-D, or the end of a script) in the middle of a form.
    if (this.form) this.quit();
    lines.close();
  }

  /** Ends the session as if the input had ended. */
  close(): void {
    this.quitting = true;
    this.lines?.close();
  }

  private actor() {
    return { workspaceId: CONSOLE_WORKSPACE, userId: this.user };
  }

  private async zone(): Promise<string> {
    return this.options.steady.people.zoneOf(CONSOLE_WORKSPACE, this.user);
  }

  async handleLine(raw: string): Promise<void> {
    const line = cleanText(raw).trim();
    if (this.pending) return this.answerNewcomers(line);
    if (this.form) return this.formLine(line);
    if (isCommandLine(line, 'quit', 'exit')) return this.quit();
    if (!line) return;
    if (/^\d+$/.test(line)) return this.press(Number(line));
    if (!line.startsWith('/')) return this.fire({ type: 'direct-message', text: line }, directRef(this.user));
    const { word, rest } = splitFirstWord(line.slice(1));
    switch (word) {
      case 'as':
        return this.becomeUser(rest);
      case 'in':
        return this.enterChannel(rest);
      case 'press':
        return this.press(Number(rest));
      case 'wait':
        return this.wait(rest);
      case 'help':
        for (const l of HELP) this.options.display.line(l);
        return this.fire({ type: 'command', command: 'steady', text: 'help' }, this.channel);
      case 'cancel':
        this.options.display.line('Nothing to cancel: no form is open.');
        return;
      case 'show':
        return this.showAgain(rest);
      default: {
        // Steady's own commands, read as every platform without slash commands reads them.
        const intent = intentOf(line, { commands: this.options.steady.dispatcher.commandNames(), personal: false });
        const event = intent.kind === 'home' ? { type: 'command' as const, command: 'steady', text: 'home' } : intent.event;
        if (event.type !== 'command') return this.fire(event, this.channel);
        const text = toMentions(event.text);
        const newcomers = await this.options.directory.inText(text);
        return this.unlessNewcomers(newcomers, 'command', () => this.fire({ ...event, text }, this.channel));
      }
    }
  }

  /** Leaves, saying so when a form is left unsubmitted. */
  private quit(): void {
    if (this.form) this.options.display.line(`${this.form.form.title}: not submitted, nothing was saved.`);
    this.form = undefined;
    this.quitting = true;
  }

  private isCommand(word: string): boolean {
    return (
      CONSOLE_COMMANDS.has(word) || this.options.steady.workflows.some((w) => w.commands !== undefined && Object.hasOwn(w.commands, word))
    );
  }

  /** Goes on at once, or once the person agrees that the people and channels never seen may join. */
  private async unlessNewcomers(newcomers: Newcomers, where: 'form' | 'command', proceed: () => Promise<void>): Promise<void> {
    if (!hasNewcomers(newcomers)) return proceed();
    this.pending = { newcomers, proceed };
    const question = newcomersQuestion(newcomers, where);
    if (where === 'form') this.options.display.write(`  ${question}\n> `);
    else this.options.display.line(question);
  }

  /** yes: they join and what named them goes on. Otherwise a form asks again (any other line is a new answer); a command is dropped. */
  private async answerNewcomers(line: string): Promise<void> {
    const { newcomers, proceed } = this.pending!;
    this.pending = undefined;
    const yes = /^(y|yes)$/i.test(line);
    const no = /^(n|no)$/i.test(line);
    if (this.form) {
      if (!yes && !no) return this.formLine(line);
      this.options.display.line();
      if (yes) {
        await this.options.directory.admit(newcomers);
        return proceed();
      }
      this.options.display.line('  Not added.');
      return this.askNext();
    }
    if (yes) {
      await this.options.directory.admit(newcomers);
      return proceed();
    }
    this.options.display.line('Not added; the command was not run.');
    if (!no) return this.handleLine(line);
  }

  private async becomeUser(rest: string): Promise<void> {
    const [name, zone] = rest.split(/\s+/).filter(Boolean);
    const user = name?.replace(/^@/, '');
    if (!user || !USER_NAME.test(user)) {
      this.options.display.line('Usage: /as <name> [time zone], e.g. /as alice Europe/Berlin');
      return;
    }
    const canonical = zone ? canonicalZone(zone) : undefined;
    if (zone && !canonical) {
      this.options.display.line(`"${zone}" is not a time zone I know. Use an IANA name such as Europe/Berlin.`);
      return;
    }
    this.user = user;
    await this.options.directory.admit({ people: [user], channels: [] });
    if (canonical) await this.options.steady.people.setTimeZone(this.actor(), canonical);
    const warning = canonical ? zoneWarning(canonical) : undefined;
    this.options.display.line(`You are now @${user} (${await this.zone()}).${warning ? ` Note: ${warning}` : ''}`);
  }

  private async enterChannel(rest: string): Promise<void> {
    const name = rest.replace(/^#/, '').trim();
    if (!/^[a-z0-9][a-z0-9._-]{0,79}$/i.test(name)) {
      this.options.display.line('Usage: /in #channel');
      return;
    }
    this.channel = channelRef(name);
    await this.options.directory.admit({ people: [], channels: [this.channel] });
    this.options.display.line(`You are now in #${name.toLowerCase()}.`);
  }

  private async press(number: number): Promise<void> {
    const button = Number.isInteger(number) ? this.options.display.button(number) : undefined;
    if (!button) {
      this.options.display.line(
        `There is no button ${Number.isNaN(number) ? '' : number} to press. Buttons are the [numbers] shown under messages.`,
      );
      return;
    }
    if (button.gone) {
      const n = button.gone.messageNumber;
      this.options.display.line(`Button ${number} is no longer there: its message was updated since. /show ${n} shows it as it is now.`);
      return;
    }
    await this.dispatch(
      { type: 'button', actionId: button.actionId, value: button.value, ...(button.message ? { message: button.message } : {}) },
      this.channel,
    );
  }

  private async showAgain(rest: string): Promise<void> {
    const number = /^\d+$/.test(rest) ? Number(rest) : undefined;
    if (number !== undefined && (await this.options.display.showAgain(number))) return;
    this.options.display.line('Usage: /show <n>, with the n of "(/show n)" after an updated message.');
  }

  private async wait(rest: string): Promise<void> {
    if (!rest.trim()) return this.waitForNews();
    const ms = parseDuration(rest);
    if (ms === undefined || ms <= 0) {
      this.options.display.line('Usage: /wait <duration>, e.g. /wait 15m, /wait 2h, /wait 1d');
      return;
    }
    const { steady, clock } = this.options;
    const until = new Date(clock.now().getTime() + ms);
    await clock.keep?.(until);
    await advanceThrough(steady.scheduler, clock, until);
    await clock.keep?.();
    this.options.display.line(`(${formatDuration(ms)} later) It is now ${formatInZone(clock.now(), await this.zone())}.`);
  }

  private async waitForNews(): Promise<void> {
    const { steady, clock, display } = this.options;
    const { elapsedMs, quiet } = await waitForNews(steady.scheduler, clock, () => display.shownCount);
    display.line(
      `(${formatDuration(elapsedMs)} later) It is now ${formatInZone(clock.now(), await this.zone())}.${quiet ? ' Nothing happened meanwhile.' : ''}`,
    );
  }

  private interaction(conversation: ConversationRef): Interaction {
    const actor = this.actor();
    const display = this.options.display;
    const steady = this.options.steady;
    return {
      ...consoleInteraction(steady, actor.userId, conversation, randomUUID().slice(0, 8)),
      // Kept like a platform's events: what was typed survives a crash of the console's Steady.
      idempotencyKey: `console:${randomUUID()}`,
      openForm: async (form) => {
        // What the person already typed with the command is kept and shown, not asked again.
        const given = form.fields.filter((f) => f.given && initialValue(f) !== undefined);
        const values = Object.fromEntries(given.map((f) => [f.id, initialValue(f)]));
        const queue = form.fields.flatMap((f, i) => (given.includes(f) ? [] : [i]));
        this.form = { form, values, queue, conversation };
        display.line(`── ${form.title} ── (/cancel to stop)`);
        if (form.intro) display.line(renderRich(form.intro, { zone: await this.zone() }));
        for (const f of given) display.line(`${f.label}: ${initialText(f)}`);
        await this.askNext();
      },
    };
  }

  private async dispatch(event: InboundEvent, conversation: ConversationRef) {
    return this.options.steady.dispatcher.handle(event, this.interaction(conversation));
  }

  private async fire(event: InboundEvent, conversation: ConversationRef): Promise<void> {
    await this.dispatch(event, conversation);
  }

  private async askNext(): Promise<void> {
    const open = this.form!;
    const next = open.queue[0];
    if (next === undefined) return this.submitForm();
    this.options.display.write(promptFor(open.form.fields[next]!, await this.zone()));
  }

  private async formLine(line: string): Promise<void> {
    const open = this.form!;
    const display = this.options.display;
    display.line();
    if (isCommandLine(line, 'quit', 'exit')) return this.quit();
    if (isCommandLine(line, 'cancel')) {
      this.form = undefined;
      display.line(`${open.form.title}: cancelled, nothing was saved.`);
      return;
    }
    const field = open.form.fields[open.queue[0]!]!;
    if (isCommandLine(line, 'help')) {
      for (const l of FORM_HELP) display.line(l);
      return this.askNext();
    }
    const command = commandWordOf(line);
    if (command && this.isCommand(command)) {
      display.line(
        `  /${command} does not work inside a form: answer ${field.label} first, or /cancel the form. (To answer with text that starts with /, type it twice: //${command} …)`,
      );
      return this.askNext();
    }
    const answer = line.startsWith('//') ? line.slice(1) : line;
    const parsed = parseFieldInput(field, answer, this.options.clock.now());
    if (!parsed.ok) {
      this.options.display.line(`  ${parsed.error}`);
      return this.askNext();
    }
    // A default kept with Enter was offered by Steady; only what was typed can name a stranger.
    const newcomers = line ? await this.options.directory.inField(field, parsed.value) : { people: [], channels: [] };
    return this.unlessNewcomers(newcomers, 'form', () => {
      open.values[field.id] = parsed.value;
      open.queue.shift();
      return this.askNext();
    });
  }

  private async submitForm(): Promise<void> {
    const open = this.form!;
    this.form = undefined;
    const values = Object.fromEntries(Object.entries(open.values).filter(([, v]) => v !== undefined));
    const outcome = await this.dispatch(
      { type: 'form', formId: open.form.formId, values, ...(open.form.state === undefined ? {} : { state: open.form.state }) },
      open.conversation,
    );
    if (outcome?.status !== 'invalid') return;
    const display = this.options.display;
    display.line('Please fix:');
    const queue: number[] = [];
    open.form.fields.forEach((field, i) => {
      const error = outcome.errors[field.id];
      if (error) {
        display.line(`  ${field.label}: ${error}`);
        queue.push(i);
      }
    });
    for (const [id, error] of Object.entries(outcome.errors)) {
      if (!open.form.fields.some((f) => f.id === id)) display.line(`  ${error}`);
    }
    if (queue.length === 0) return;
    this.form = { ...open, queue };
    await this.askNext();
  }
}

/** True for `/word` (any case, anything after it) with one of the given words. */
function isCommandLine(line: string, ...commands: string[]): boolean {
  const word = commandWordOf(line);
  return word !== undefined && commands.includes(word);
}

/** The command word of a line that starts with one slash (`//` is text that starts with /). */
function commandWordOf(line: string): string | undefined {
  if (!line.startsWith('/') || line.startsWith('//')) return undefined;
  return splitFirstWord(line.slice(1)).word || undefined;
}

/**
 * `@alice` → `<@alice>` and `#ops` → `<#console:#ops>`, as every adapter hands mentions to the core;
 * `<@alice>` typed as such is text, as in Slack and Teams.
 */
export function toMentions(text: string): string {
  return literally(text)
    .replace(/(^|\s)@([a-z0-9][a-z0-9._-]{0,31})/gi, (_, space: string, name: string) => `${space}<@${name}>`)
    .replace(/(^|\s)#([a-z][a-z0-9._-]{0,79})/gi, (_, space: string, name: string) => `${space}<#${channelRef(name)}>`);
}

/** What a kept console request stores to answer its person (see restoredConsoleInteraction). */
const consoleRoute = z.object({ platform: z.literal('console'), userId: z.string(), conversation: z.string() });

/** An interaction that answers in the console, privately: the one a command typed here gets, minus its form. */
function consoleInteraction(steady: Steady, userId: string, conversation: ConversationRef, correlationId: string): Interaction {
  return {
    actor: { workspaceId: CONSOLE_WORKSPACE, userId },
    conversation,
    correlationId,
    route: { platform: 'console', userId, conversation },
    replyPrivately: async (message) => {
      const platform = steady.services.platforms.for(CONSOLE_WORKSPACE);
      await platform.postPrivate!(conversation, userId, message);
    },
  };
}

/** Rebuilds the interaction of a request the console's Steady kept before it stopped. */
export function restoredConsoleInteraction(steady: Steady, kept: KeptRequest): Interaction {
  const route = consoleRoute.parse(kept.route);
  return consoleInteraction(steady, route.userId, route.conversation, kept.correlationId);
}
