import type { Form, FormValues } from './form';
import type { Message } from './message';
import type { Actor, ConversationRef, MessageRef } from './refs';

/** What a person did, as every adapter reports it. */
export type InboundEvent =
  /** `/escalate list mine` → command `escalate`, text `list mine`. Mentions are `<@userId>`. */
  | { readonly type: 'command'; readonly command: string; readonly text: string }
  | { readonly type: 'button'; readonly actionId: string; readonly value: string; readonly message?: MessageRef }
  | { readonly type: 'form'; readonly formId: string; readonly values: FormValues; readonly state?: string }
  /** A message to the bot in a one-to-one conversation. */
  | { readonly type: 'direct-message'; readonly text: string };

/**
 * How an adapter finds its way back to a person from another process (JSON): where to answer, e.g.
 * a URL the platform gave with the event for answering it. Stored with a kept request, given back to
 * the adapter's restorer.
 */
export type StoredRoute = { readonly platform: string } & Readonly<Record<string, unknown>>;

/** The circumstances of an event and the ways to answer the person who caused it. */
export interface Interaction {
  readonly actor: Actor;
  /** Where it happened, when that is a conversation. */
  readonly conversation?: ConversationRef;
  readonly correlationId: string;
  /** The same for a platform's retry of one event: the dispatcher handles it once. */
  readonly idempotencyKey?: string;
  /** The person's zone as the platform reported it with this event (some platforms send one). */
  readonly reportedTimeZone?: string;
  /** Only this person sees it (an ephemeral message, or a 1:1 reply on a platform without them). */
  replyPrivately(message: Message): Promise<void>;
  /**
   * Present when the adapter can answer this person from another process: the event is then kept
   * (stored) before it is acknowledged and handled, and survives a crash.
   */
  readonly route?: StoredRoute;
  /** Present when the platform lets the bot open a form now (some allow it only just after the person acted). */
  openForm?(form: Form): Promise<void>;
}
