import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db } from '../../db/schema';
import type { Clock } from '../../src/core/clock';
import type { Dispatcher } from '../../src/core/dispatcher';
import { errorMessage } from '../../src/core/errors';
import type { Form, FormField, FormOutcome, FormValue } from '../../src/core/form';
import type { Interaction } from '../../src/core/inbound';
import type { ConversationRef, MessageRef } from '../../src/core/refs';
import type { TeamsDelivery } from './teams-delivery';
import { readFormInputs, type ReadInputs } from './inbound/form-inputs';
import { conversationLabel, namesFor } from './render-names';
import { conversationRef, parseConversationRef, parseMessageRef } from './refs';
import type { AdaptiveCard } from './render/adaptive-card';
import { closedFormCard, formCard, type Person } from './render/form-card';
import { cardActivity } from './render/message-activity';
import { channelsOf, findConversation } from './storage/conversations-repository';
import {
  claimForm,
  closeForm,
  findForm,
  insertForm,
  purgeForms,
  reopenForm,
  setFormMessage,
  type StoredForm,
} from './storage/forms-repository';
import { findMember, findMembers, findMembersByAad } from './storage/members-repository';

const FORM_RETENTION_MS = 30 * 24 * 3_600_000;

export interface FormPlace {
  readonly tenantId: string;
  /** Whom the form is for. */
  readonly userId: string;
  /** Where it was asked for: reported to the workflow as the submission's conversation. */
  readonly origin?: ConversationRef;
  /** Where the card goes, and under which message (a channel thread). */
  readonly to: ConversationRef;
  readonly threadOf?: MessageRef;
}

export interface Submitter {
  readonly tenantId: string;
  readonly userId: string;
  readonly name: string;
  /** The interaction to hand to the dispatcher, for the form's conversation. */
  interaction(conversation: ConversationRef | undefined): Interaction;
}

/**
 * Forms as Adaptive Cards: the form is stored (so a submission is read against its own fields, and
 * claimed once however often it is clicked), drawn as a card where it was asked for, and on each
 * submission either drawn again with the problems by the fields, or closed.
 */
export class TeamsForms {
  constructor(
    private readonly deps: {
      readonly db: Db;
      readonly clock: Clock;
      readonly log: Logger;
      readonly delivery: TeamsDelivery;
      readonly dispatcher: () => Dispatcher;
    },
  ) {}

  async open(form: Form, place: FormPlace): Promise<MessageRef> {
    const { db, clock, delivery } = this.deps;
    const id = randomUUID();
    await insertForm(db, { id, tenantId: place.tenantId, userId: place.userId, origin: place.origin, form }, clock.now());
    const stored = (await findForm(db, id))!;
    const card = await this.draw(stored, form, place.to);
    const ref = await delivery.post(place.to, cardActivity(card, form.title), place.threadOf);
    await setFormMessage(db, id, ref, clock.now());
    await purgeForms(db, new Date(clock.now().getTime() - FORM_RETENTION_MS)).catch((err: unknown) =>
      this.deps.log.warn({ err: errorMessage(err) }, 'could not purge old forms'),
    );
    return ref;
  }

  /** A click on Submit. Answers with the card's new look, or a line for the person who clicked. */
  async submit(key: string, data: Readonly<Record<string, unknown>>, by: Submitter): Promise<AdaptiveCard | string> {
    const { db, clock } = this.deps;
    const stored = await findForm(db, key);
    const refusal = await this.refusal(stored, by);
    if (refusal) return refusal;
    const row = stored!;
    const form = formOf(row);
    const conversationId = row.message_ref ? parseMessageRef(row.message_ref)?.conversationId : undefined;
    const channels = await this.channelChoices(row, form);
    const read = readFormInputs(form, data, new Set(channels.map((c) => c.ref)));
    const values: Record<string, FormValue> = { ...read.values };
    const errors: Record<string, string> = { ...read.errors };
    await this.resolvePeople(row.tenant_id, form, read, conversationId, values, errors);
    if (Object.keys(errors).length) return this.refused(row, form, read.raw, errors);

    if (!(await claimForm(db, key, clock.now()))) return 'This form is being sent already.';
    let outcome: FormOutcome | undefined;
    try {
      outcome = await this.deps
        .dispatcher()
        .handle(
          { type: 'form', formId: form.formId, values, ...(form.state === undefined ? {} : { state: form.state }) },
          by.interaction(row.origin ?? undefined),
        );
    } catch (err) {
      await reopenForm(db, key, read.raw, {}, clock.now());
      throw err;
    }
    if (outcome?.status === 'invalid') return this.refused(row, form, read.raw, outcome.errors);
    await closeForm(db, key, 'done', clock.now());
    return this.replaceCard(row, closedFormCard(form, 'done', { id: by.userId, name: by.name }), form.title);
  }

  async cancel(key: string, by: Submitter): Promise<AdaptiveCard | string> {
    const stored = await findForm(this.deps.db, key);
    const refusal = await this.refusal(stored, by);
    if (refusal) return refusal;
    const form = formOf(stored!);
    if (!(await closeForm(this.deps.db, key, 'cancelled', this.deps.clock.now()))) return 'This form is being sent already.';
    return this.replaceCard(stored!, closedFormCard(form, 'cancelled', { id: by.userId, name: by.name }), form.title);
  }

  private async refusal(stored: StoredForm | undefined, by: Submitter): Promise<string | undefined> {
    if (!stored || stored.tenant_id !== by.tenantId) return 'This form has expired. Run the command again to get a new one.';
    if (stored.user_id !== by.userId) {
      const owner = await findMember(this.deps.db, stored.tenant_id, stored.user_id);
      return `This form is ${owner?.name ?? 'someone else'}'s. Run the command yourself to get your own.`;
    }
    if (stored.status === 'done') return 'This form was already sent.';
    if (stored.status === 'cancelled') return 'This form was cancelled. Run the command again to start over.';
    return undefined;
  }

  private async refused(
    row: StoredForm,
    form: Form,
    raw: Record<string, string>,
    errors: Readonly<Record<string, string>>,
  ): Promise<AdaptiveCard | string> {
    await reopenForm(this.deps.db, row.id, raw, { ...errors }, this.deps.clock.now());
    const fresh = (await findForm(this.deps.db, row.id))!;
    const to = row.message_ref ? conversationOf(row.message_ref) : undefined;
    const card = await this.draw(fresh, form, to);
    return this.replaceCard(row, card, form.title);
  }

  /** Shows the card's new look to everyone (update in place) and returns it as the click's answer. */
  private async replaceCard(row: StoredForm, card: AdaptiveCard, title: string): Promise<AdaptiveCard> {
    if (row.message_ref) {
      try {
        await this.deps.delivery.replace(row.message_ref, cardActivity(card, title));
      } catch (err) {
        // The person still sees it: the click's answer carries the same card.
        this.deps.log.warn({ form: row.id, err: errorMessage(err) }, 'could not update the form card for everyone');
      }
    }
    return card;
  }

  private async draw(row: StoredForm, form: Form, to: ConversationRef | undefined): Promise<AdaptiveCard> {
    const { db } = this.deps;
    const tenantId = row.tenant_id;
    const initialPeople = form.fields.flatMap((f) =>
      f.kind === 'user' && f.initial ? [f.initial] : f.kind === 'users' ? [...(f.initial ?? [])] : [],
    );
    const members = await findMembers(db, tenantId, [...initialPeople, row.user_id]);
    const people = new Map<string, Person>(
      members.map((m) => [m.user_id, { name: m.name, ...(m.aad_object_id ? { aadObjectId: m.aad_object_id } : {}) }]),
    );
    const raw = (row.submitted as Record<string, string> | null) ?? undefined;
    const pickedAads = raw
      ? Object.values(raw)
          .flatMap((v) => (typeof v === 'string' ? v.split(',') : []))
          .filter((v) => /^[0-9a-f-]{36}$/i.test(v))
      : [];
    const picked = await findMembersByAad(db, tenantId, pickedAads);
    const shared = to ? await this.isShared(to) : false;
    return formCard(
      form,
      {
        key: row.id,
        ...(shared ? { forUser: { id: row.user_id, name: people.get(row.user_id)?.name ?? 'you' } } : {}),
        ...(raw ? { raw } : {}),
        ...(row.errors ? { errors: row.errors } : {}),
        people,
        pickedNames: new Map(picked.flatMap((m) => (m.aad_object_id ? [[m.aad_object_id, m.name] as const] : []))),
        channels: form.fields.some((f) => f.kind === 'channel') ? await this.channelChoices(row, form) : [],
      },
      await namesFor(db, tenantId, form.intro ? [form.intro] : []),
    );
  }

  /**
   * The channels the bot is in, plus a conversation a channel field starts with when it is not one
   * of them (a form asked for in a 1:1 or group chat offers that chat).
   */
  private async channelChoices(row: StoredForm, form: Form): Promise<{ ref: string; label: string }[]> {
    const tenantId = row.tenant_id;
    const channels = await channelsOf(this.deps.db, tenantId, 100);
    const choices = channels.map((c) => ({
      ref: conversationRef({ tenantId, conversationId: c.conversation_id }),
      label: conversationLabel(c),
    }));
    for (const field of form.fields) {
      if (field.kind !== 'channel' || !field.initial || choices.some((c) => c.ref === field.initial)) continue;
      const address = parseConversationRef(field.initial);
      const stored = address?.tenantId === tenantId ? await findConversation(this.deps.db, tenantId, address.conversationId) : undefined;
      if (!stored) continue;
      const label =
        stored.kind === 'personal'
          ? stored.user_id === row.user_id
            ? 'Your chat with Steady'
            : 'A 1:1 chat with Steady'
          : conversationLabel(stored);
      choices.unshift({ ref: field.initial, label });
    }
    return choices;
  }

  private async isShared(to: ConversationRef): Promise<boolean> {
    const conversation = parseConversationRef(to);
    if (!conversation) return false;
    const stored = await findConversation(this.deps.db, conversation.tenantId, conversation.conversationId);
    return stored !== undefined && stored.kind !== 'personal';
  }

  /** People pickers answer with Azure AD object ids; the core wants Teams user ids. */
  private async resolvePeople(
    tenantId: string,
    form: Form,
    read: ReadInputs,
    conversationId: string | undefined,
    values: Record<string, FormValue>,
    errors: Record<string, string>,
  ): Promise<void> {
    for (const field of form.fields) {
      const picked = read.people.get(field.id);
      if (!picked || errors[field.id]) continue;
      const ids: string[] = [];
      for (const id of picked) {
        const userId = id.startsWith('29:')
          ? ((await findMember(this.deps.db, tenantId, id))?.user_id ??
            (await this.deps.delivery.findPerson(tenantId, id, conversationId ? [conversationId] : []))?.id)
          : await this.deps.delivery.userIdForAad(tenantId, id, conversationId ? [conversationId] : []);
        if (!userId) {
          errors[field.id] =
            `Steady can't find someone you chose for ${field.label} in Teams: choose people who are in a team with Steady or who have added the Steady app.`;
          break;
        }
        ids.push(userId);
      }
      if (errors[field.id]) continue;
      values[field.id] = field.kind === 'user' ? ids[0]! : [...new Set(ids)];
    }
  }
}

/** The stored form, with its dates as dates again. */
function formOf(row: StoredForm): Form {
  const form = row.form as Form;
  return {
    ...form,
    fields: form.fields.map((field: FormField) =>
      field.kind === 'datetime' && field.initial !== undefined
        ? { ...field, initial: new Date(field.initial as unknown as string) }
        : field,
    ),
  };
}

function conversationOf(ref: MessageRef): ConversationRef | undefined {
  const address = parseMessageRef(ref);
  return address ? conversationRef(address) : undefined;
}
