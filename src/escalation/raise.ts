import { randomUUID } from 'node:crypto';
import { FORM_DONE, invalid, validateForm, type FormOutcome, type FormValues } from '../core/form';
import { context, message, section } from '../core/message';
import { platformOf } from '../core/refs';
import { bold, channel, time, user, type Span } from '../core/rich-text';
import type { HandlerContext } from '../core/workflow';
import { findEscalationFromSource, insertEscalation, nextEscalationNumber } from '../storage/escalation/escalations-repository';
import { appendEvent } from '../storage/escalation/events-repository';
import { findPolicy, listPolicies } from '../storage/escalation/policies-repository';
import { deleteDraft, findDraft, insertDraft } from '../storage/escalation/settings-repository';
import type { EscalationSource, RaisePrefill } from './api';
import type { EscalationDeps } from './deps';
import { dueFromRule } from './due-rules';
import { planPolicyStart, startPolicy } from './engine';
import { raiseForm } from './forms/escalation';
import { snapshotOf, summaryOf, type Escalation, type PolicySnapshot } from './model';
import { UserError } from '../core/errors';
import type { z } from 'zod';
import { raiseSchema, raiseStateSchema } from './schemas';
import { loadSettings } from './settings';

/**
 * Raising an escalation: the form gathers the facts, the impact, the options and a recommended
 * decision, one owner and a due time; on submit the escalation gets the workspace's next reference,
 * its policy is copied onto it, and its card, the owner's message, the first policy level and the
 * due-time reminders are enqueued in the same transaction.
 */

/** A conversation reference this workspace's platform made (a forged one could route elsewhere). */
export function belongsToWorkspace(ref: string, workspaceId: string): boolean {
  return ref.length <= 500 && platformOf(ref) === platformOf(workspaceId);
}

export async function openRaiseForm(
  deps: EscalationDeps,
  ctx: HandlerContext,
  prefill: RaisePrefill & { readonly titleTyped?: boolean },
): Promise<void> {
  const { db, people, clock } = deps.services;
  const ws = ctx.actor.workspaceId;
  const [settings, policies, zone] = await Promise.all([loadSettings(db, ws), listPolicies(db, ws), people.zoneOf(ws, ctx.actor.userId)]);
  let draft: string | undefined;
  const intro: Span[] = [
    'Gather the facts, state the impact, summarise the options and recommend a decision. One owner drives it to a decision by the due time.',
  ];
  const onBehalf = prefill.raiserId && prefill.raiserId !== ctx.actor.userId ? prefill.raiserId : undefined;
  if (onBehalf || prefill.source) {
    draft = randomUUID();
    await insertDraft(
      db,
      {
        token: draft,
        workspaceId: ws,
        actorId: ctx.actor.userId,
        raiserId: onBehalf ?? ctx.actor.userId,
        source: prefill.source ? sourceJson(prefill.source) : null,
      },
      clock.now(),
    );
    if (onBehalf) intro.push(' Raised on behalf of ', user(onBehalf), '.');
    if (prefill.source) intro.push(` From: ${prefill.source.label}.`);
  }
  const defaultChannel = settings.channel ?? ctx.conversation;
  const state = JSON.stringify({ ...(ctx.conversation ? { origin: ctx.conversation } : {}), ...(draft ? { draft } : {}) });
  await ctx.openForm(
    raiseForm({
      ...(prefill.title ? { title: prefill.title, titleGiven: prefill.titleTyped === true } : {}),
      ...(prefill.impact ? { impact: prefill.impact } : {}),
      ...(prefill.ownerId ? { ownerId: prefill.ownerId } : {}),
      zone,
      ...(defaultChannel ? { channel: defaultChannel } : {}),
      policies,
      settings,
      state,
      intro,
    }),
  );
}

function sourceJson(s: EscalationSource) {
  return { kind: s.kind, id: s.id, label: s.label, ...(s.message ? { message: s.message } : {}) };
}

function parseState(state: string | undefined): z.output<typeof raiseStateSchema> {
  if (!state) return {};
  try {
    const parsed = raiseStateSchema.safeParse(JSON.parse(state));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

export async function submitRaise(
  deps: EscalationDeps,
  ctx: HandlerContext,
  values: FormValues,
  rawState: string | undefined,
): Promise<FormOutcome> {
  const { db, people, clock } = deps.services;
  const ws = ctx.actor.workspaceId;
  const checked = validateForm(raiseSchema, values);
  if (!checked.ok) return invalid(checked.errors);
  const v = checked.value;
  const now = clock.now();
  const errors: Record<string, string> = {};

  const owner = await people.get(ws, v.owner).catch(() => undefined);
  if (!owner || owner.deleted || owner.isBot) errors.owner = `@${v.owner} is not a person of this workspace. Choose someone who is.`;
  if (v.due && v.due.getTime() <= now.getTime())
    errors.due = 'That due time is in the past. Pick a later one, or leave it empty for the default.';

  const settings = await loadSettings(db, ws);
  let policy: PolicySnapshot | null = null;
  const policyChoice = v.policy ?? settings.defaultPolicyId ?? 'none';
  if (policyChoice !== 'none') {
    const found = await findPolicy(db, ws, policyChoice);
    if (found) policy = snapshotOf(found);
    else if (v.policy) errors.policy = 'That escalation policy no longer exists. Choose another one, or none.';
  }

  const state = parseState(rawState);
  const where =
    v.channel ?? settings.channel ?? (state.origin && belongsToWorkspace(state.origin, ws) ? state.origin : undefined) ?? ctx.conversation;
  if (!where) errors.channel = 'Choose a channel to post the escalation in.';
  else if (!belongsToWorkspace(where, ws)) errors.channel = 'That channel is not in this workspace. Choose one here.';

  let raiserId = ctx.actor.userId;
  let source: EscalationSource | null = null;
  if (state.draft) {
    const draft = await findDraft(db, state.draft);
    if (draft && draft.workspaceId === ws && draft.actorId === ctx.actor.userId) {
      raiserId = draft.raiserId;
      source = draft.source;
    }
  }
  if (Object.keys(errors).length > 0) return invalid(errors);

  const ownerZone = owner!.timeZone;
  const severity = v.severity as Escalation['severity'];
  const dueAt = v.due ?? dueFromRule(settings.dueRules[severity], now, ownerZone);
  const firstLevel = await planPolicyStart(deps, ws, policy, now);
  // Who hears of the new escalation in a message of their own; whoever raised it is answered here.
  const told = new Set([v.owner, raiserId].filter((person) => person !== ctx.actor.userId));
  const escalation = await db.transaction().execute(async (trx) => {
    const number = await nextEscalationNumber(trx, ws);
    // Checked after taking the next number, which locks the workspace's counter: two people who
    // opened the form from the same blocker cannot both raise it.
    const earlier = source ? await findEscalationFromSource(trx, ws, source) : undefined;
    if (earlier) throw new UserError([`${source!.label}: already escalated as ${earlier.reference}. Nothing was raised.`]);
    const e = await insertEscalation(trx, {
      workspaceId: ws,
      number,
      title: v.title,
      impact: v.impact,
      options: v.options,
      recommendation: v.recommendation,
      severity,
      ownerId: v.owner,
      raiserId,
      createdBy: ctx.actor.userId,
      conversation: where!,
      dueAt,
      policy,
      source,
      now,
    });
    const eventId = await appendEvent(
      trx,
      e.id,
      {
        kind: 'raised',
        data: {
          severity,
          ownerId: v.owner,
          dueAt: dueAt.toISOString(),
          policy: policy?.name ?? null,
          conversation: where!,
          createdBy: ctx.actor.userId,
          ...(source ? { source: source.label } : {}),
        },
      },
      raiserId,
      now,
    );
    await deps.planner.card(trx, e, { post: true });
    // The first level is paged as part of raising it: one message each, naming every reason.
    const { paged } = await startPolicy(deps, trx, e, firstLevel, told, now);
    await deps.planner.notifyPeople(trx, e, eventId, 'assigned', [e.ownerId], ctx.actor.userId, paged);
    // Someone else raised it for them (a stand-up blocker): they hear of it now, not first when it is resolved.
    if (raiserId !== ctx.actor.userId) await deps.planner.notifyPeople(trx, e, eventId, 'raised-for', [raiserId], e.ownerId, paged);
    await deps.planner.dueTimes(trx, e);
    if (state.draft) await deleteDraft(trx, state.draft);
    return e;
  });
  ctx.log.info({ escalation: escalation.id, reference: escalation.reference, severity }, 'escalation raised');

  if (source) {
    for (const listener of deps.sourceListeners) {
      await listener(source, summaryOf(escalation)).catch((err: unknown) =>
        ctx.log.error({ err, escalation: escalation.id }, 'a listener for raised escalations failed'),
      );
    }
  }
  const zone = await people.zoneOf(ws, ctx.actor.userId);
  await ctx.reply(
    message(
      [
        section([bold(`Raised ${escalation.reference}`), `: ${escalation.title}`]),
        context([
          'Posted in ',
          channel(escalation.conversation),
          ' · owner ',
          user(escalation.ownerId),
          ' · due ',
          time(escalation.dueAt, zone),
          policy ? ` · policy ${policy.name}` : ' · no escalation policy',
        ]),
      ],
      `Raised ${escalation.reference}`,
    ),
  );
  return FORM_DONE;
}
