import type { Logger } from 'pino';
import type { AnyJobKind } from '../scheduler/job';
import type { Form, FormOutcome, FormValues } from './form';
import type { Interaction } from './inbound';
import type { Block, Message } from './message';
import type { Actor, ConversationRef, MessageRef } from './refs';
import type { RichText } from './rich-text';

/** What a workflow handler gets: who acted, where, and how to answer them. */
export interface HandlerContext {
  readonly actor: Actor;
  readonly conversation?: ConversationRef;
  readonly log: Logger;
  readonly interaction: Interaction;
  /** Tell only the person who acted. */
  reply(text: RichText | Message): Promise<void>;
  /** Open a form for the person; platforms that cannot answers with a UserError. */
  openForm(form: Form): Promise<void>;
}

export type CommandHandler = (ctx: HandlerContext, text: string) => Promise<void>;
export type ActionHandler = (ctx: HandlerContext, press: { readonly value: string; readonly message?: MessageRef }) => Promise<void>;
export type FormHandler = (
  ctx: HandlerContext,
  submission: { readonly values: FormValues; readonly state?: string },
) => Promise<FormOutcome>;
/** Returns false when the message was not for this workflow. */
export type DirectMessageHandler = (ctx: HandlerContext, text: string) => Promise<boolean>;

/**
 * One workflow's entry points. Commands are keyed by the top-level command (`escalate`), actions
 * by button action id, forms by form id; job kinds are registered with the scheduler.
 */
export interface Workflow {
  readonly name: string;
  readonly commands?: Readonly<Record<string, CommandHandler>>;
  /**
   * Per command, the first words of its text that only read (`list`, `show`): such a command is
   * answered without being kept first, since running it twice or not at all changes nothing.
   */
  readonly readOnly?: Readonly<Record<string, readonly string[]>>;
  readonly actions?: Readonly<Record<string, ActionHandler>>;
  readonly forms?: Readonly<Record<string, FormHandler>>;
  readonly directMessage?: DirectMessageHandler;
  /**
   * true while this workflow has asked the person something they answer in their direct messages
   * (a stand-up question). Where commands are typed as plain words (a platform without slash commands
   * for a bot), such a message is then read as the answer even when it starts with a command word.
   */
  readonly awaitsDirectReply?: (actor: Actor) => Promise<boolean>;
  readonly jobs?: readonly AnyJobKind[];
  /** One line per command for `/steady help`. */
  readonly help?: readonly string[];
  /**
   * This workflow's part of a person's home view (a platform's home tab where it has one; `/steady home`
   * elsewhere): what is theirs right now, with the buttons to act on it. Empty when there is nothing.
   */
  readonly home?: (actor: Actor) => Promise<readonly Block[]>;
}
