import type { Db } from '../../db/schema';
import type { FormValues } from '../../src/core/form';
import type { UserProfile } from '../../src/core/platform';
import type { HandlerContext } from '../../src/core/workflow';
import type { EscalationSource, EscalationSummary, EscalationsApi, RaisePrefill } from '../../src/escalation/api';
import { withGeneral } from '../support/with-general';
import { createStandups } from '../../src/standup';
import type { StandupsApi } from '../../src/standup/api';
import type { SteadyOptions } from '../../src/steady';
import type { TestDatabase } from '../support/database';
import { Harness } from '../support/harness';
import type { Sent } from '../support/recording-platform';

/**
 * A stand-in for the escalation workflow (built in parallel): it records the forms it was asked to
 * open and can "raise" one, calling the listeners as the real workflow does after storing it.
 */
export class FakeEscalations implements EscalationsApi {
  readonly opened: { by: string; prefill: RaisePrefill }[] = [];
  readonly open = new Map<string, EscalationSummary[]>();
  private readonly listeners: ((source: EscalationSource, escalation: EscalationSummary) => Promise<void>)[] = [];
  private readonly raised: EscalationSummary[] = [];
  private counter = 0;

  async openRaiseForm(ctx: HandlerContext, prefill: RaisePrefill): Promise<void> {
    this.opened.push({ by: ctx.actor.userId, prefill });
  }

  async openOwnedBy(_workspaceId: string, userId: string): Promise<EscalationSummary[]> {
    return this.open.get(userId) ?? [];
  }

  async policiesPaging(): Promise<string[]> {
    return [];
  }

  /** Raised ones as they are now: resolved once no longer in anyone's open list. */
  async byIds(_workspaceId: string, ids: readonly string[]): Promise<EscalationSummary[]> {
    const open = new Set([...this.open.values()].flat().map((e) => e.id));
    return this.raised.filter((e) => ids.includes(e.id)).map((e) => (open.has(e.id) ? e : { ...e, status: 'resolved' as const }));
  }

  async transfer(): Promise<void> {
    throw new Error('not used by stand-ups');
  }

  onRaisedFromSource(listener: (source: EscalationSource, escalation: EscalationSummary) => Promise<void>): void {
    this.listeners.push(listener);
  }

  /** Submits the last opened form as the escalation workflow would: stored, then listeners told. */
  async raiseLast(ownerId: string, workspaceId = 'test:W1'): Promise<EscalationSummary> {
    const { prefill } = this.opened[this.opened.length - 1]!;
    const summary: EscalationSummary = {
      id: String(100 + ++this.counter),
      workspaceId,
      reference: `ESC-${100 + this.counter}`,
      title: prefill.title ?? '',
      severity: 'SEV3',
      status: 'open',
      ownerId,
      raiserId: prefill.raiserId ?? '',
      dueAt: new Date('2030-01-01T00:00:00Z'),
    };
    this.open.set(ownerId, [...(this.open.get(ownerId) ?? []), summary]);
    this.raised.push(summary);
    for (const listener of this.listeners) await listener(prefill.source!, summary);
    return summary;
  }

  resolve(ownerId: string, id: string): void {
    this.open.set(
      ownerId,
      (this.open.get(ownerId) ?? []).filter((e) => e.id !== id),
    );
  }
}

/** Steady with the stand-up workflow and /steady, the escalation API faked. */
export function standupHarness(
  database: TestDatabase,
  options: { start?: string; people?: Record<string, Omit<UserProfile, 'userId'>>; steady?: Partial<SteadyOptions> } = {},
): { h: Harness; escalations: FakeEscalations; api: () => StandupsApi } {
  const escalations = new FakeEscalations();
  let api: StandupsApi | undefined;
  const h = new Harness(database, {
    ...options,
    steady: {
      ...options.steady,
      workflows: (services) => {
        const standups = createStandups(services, { escalations });
        api = standups.api;
        return withGeneral(services, [standups.workflow]);
      },
    },
  });
  return { h, escalations, api: () => api! };
}

/** Empties what stand-up tests leave behind, so each test starts from nothing on the shared database. */
export async function resetDatabase(db: Db): Promise<void> {
  for (const table of [
    'standups',
    'standup_absences',
    'jobs',
    'recurring_rules',
    'people',
    'workspaces',
    'reported_problems',
    'inbound_events',
    'workspace_admins',
    'outbox',
    'send_lanes',
  ] as const) {
    await db.deleteFrom(table).execute();
  }
}

/** `/standup create` then the form, with the given fields over the defaults. */
export async function createStandup(h: Harness, by: string, values: FormValues, conversation = 'test:C-team') {
  await h.as(by, conversation).command('standup', 'create');
  return h.as(by, conversation).submit(values);
}

/** The direct messages a person got, in order. */
export function dms(h: Harness, userId: string): Sent[] {
  return h.platform.sent.filter((s) => s.op === 'direct' && s.to === userId);
}

export function lastDm(h: Harness, userId: string): Sent {
  const all = dms(h, userId);
  if (!all.length) throw new Error(`${userId} got no direct message`);
  return all[all.length - 1]!;
}

/** The message (post or latest update) as it stands now, by its reference. */
export function current(h: Harness, ref: string): Sent | undefined {
  const versions = h.platform.sent.filter((s) => s.ref === ref);
  return versions[versions.length - 1];
}

export function buttonOf(h: Harness, sent: Sent, label: string) {
  const found = h.buttonsOf(sent).find((b) => b.label === label);
  if (!found) throw new Error(`no button "${label}" in: ${sent.text}`);
  return found;
}
