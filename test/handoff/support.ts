import { UserError } from '../../src/core/errors';
import type { FormValues } from '../../src/core/form';
import type { EscalationSummary, EscalationsApi } from '../../src/escalation/api';
import { createHandoffs } from '../../src/handoff';
import { withGeneral } from '../support/with-general';
import type { ReportedBlocker, StandupsApi } from '../../src/standup/api';
import type { TestDatabase } from '../support/database';
import { Harness } from '../support/harness';

/** Escalations as the handoff workflow sees them: who owns what, and every transfer asked for. */
export class FakeEscalations implements EscalationsApi {
  readonly transfers: { workspaceId: string; escalationId: string; toUserId: string; actorId: string; reason: string }[] = [];
  readonly items: EscalationSummary[] = [];
  /** Ids whose transfer is refused (e.g. resolved a moment ago). */
  readonly refuse = new Set<string>();

  add(ownerId: string, reference: string, title: string, dueAt: string): EscalationSummary {
    const e: EscalationSummary = {
      id: String(this.items.length + 1),
      workspaceId: 'test:W1',
      reference,
      title,
      severity: 'SEV2',
      status: 'open',
      ownerId,
      raiserId: ownerId,
      dueAt: new Date(dueAt),
    };
    this.items.push(e);
    return e;
  }

  async openRaiseForm(): Promise<void> {
    throw new Error('not used by handoffs');
  }

  async openOwnedBy(workspaceId: string, userId: string): Promise<EscalationSummary[]> {
    return this.items.filter((e) => e.workspaceId === workspaceId && e.ownerId === userId && e.status !== 'resolved');
  }

  /** Policies paging a rotation's on-shift person, by rotation id. */
  readonly policies = new Map<string, string[]>();

  async policiesPaging(_workspaceId: string, rotationId: string): Promise<string[]> {
    return this.policies.get(rotationId) ?? [];
  }

  async byIds(workspaceId: string, ids: readonly string[]): Promise<EscalationSummary[]> {
    return this.items.filter((e) => e.workspaceId === workspaceId && ids.includes(e.id));
  }

  async transfer(args: { workspaceId: string; escalationId: string; toUserId: string; actorId: string; reason: string }): Promise<void> {
    if (this.refuse.has(args.escalationId)) throw new UserError('That escalation is already resolved.');
    this.transfers.push(args);
    const i = this.items.findIndex((e) => e.id === args.escalationId);
    this.items[i] = { ...this.items[i]!, ownerId: args.toUserId };
  }

  onRaisedFromSource(): void {}
}

export class FakeStandups implements StandupsApi {
  readonly blockers: ReportedBlocker[] = [];
  readonly asked: { userIds: readonly string[]; since: Date }[] = [];

  async unresolvedBlockers(_workspaceId: string, userIds: readonly string[], since: Date): Promise<ReportedBlocker[]> {
    this.asked.push({ userIds, since });
    return this.blockers.filter((b) => userIds.includes(b.userId) && b.reportedAt >= since);
  }
}

export const TEAM = {
  alice: { displayName: 'alice', timeZone: 'Europe/Berlin' },
  bob: { displayName: 'bob', timeZone: 'Europe/Berlin' },
  carol: { displayName: 'carol', timeZone: 'Europe/Berlin' },
  dave: { displayName: 'dave', timeZone: 'Europe/London' },
  eve: { displayName: 'eve', timeZone: 'Europe/Berlin' },
  zed: { displayName: 'zed', timeZone: 'UTC' },
  ann: { displayName: 'ann', timeZone: 'Europe/Berlin' },
  ben: { displayName: 'ben', timeZone: 'Europe/Berlin' },
  cat: { displayName: 'cat', timeZone: 'Europe/Berlin' },
};

/** A Harness whose handoff workflow talks to fake escalation and stand-up workflows. */
export function handoffHarness(
  database: TestDatabase,
  start: string,
  fakes = { escalations: new FakeEscalations(), standups: new FakeStandups() },
) {
  let onShift: ReturnType<typeof createHandoffs>['api'] | undefined;
  const h = new Harness(database, {
    start,
    people: TEAM,
    steady: {
      workflows: (services) => {
        const handoffs = createHandoffs(services, fakes);
        onShift = handoffs.api;
        return withGeneral(services, [handoffs.workflow]);
      },
    },
  });
  return { h, ...fakes, onShift: onShift! };
}

/** Empties the tables a handoff test writes, so each test starts from nothing. */
export async function resetHandoffs(database: TestDatabase): Promise<void> {
  const db = database.db;
  for (const table of [
    'handoff_questions',
    'handoffs',
    'rotation_overrides',
    'rotation_swaps',
    'rotation_versions',
    'rotations',
    'jobs',
    'recurring_rules',
    'reported_problems',
    'inbound_events',
    'outbox',
    'send_lanes',
  ] as const) {
    await db.deleteFrom(table).execute();
  }
}

/** The rotation form's values for a three-shift rotation, overridable field by field. */
export function rotationValues(overrides: FormValues = {}): FormValues {
  return {
    name: 'Ops',
    members: ['alice', 'bob', 'carol'],
    shifts: '07:00-15:00, 15:00-23:00, 23:00-07:00',
    days: ['1', '2', '3', '4', '5', '6', '7'],
    zone: 'Europe/Berlin',
    start: '2026-12-01',
    channel: 'test:C-ops',
    lead: '30m',
    timeout: '15m',
    supervisor: 'eve',
    ...overrides,
  };
}

export async function countRows(
  database: TestDatabase,
  table: 'rotations' | 'rotation_versions' | 'rotation_overrides' | 'rotation_swaps' | 'handoffs' | 'jobs' | 'recurring_rules',
): Promise<number> {
  const row = await database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
