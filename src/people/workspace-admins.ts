import type { Db } from '../../db/schema';
import type { Clock } from '../core/clock';
import type { Actor } from '../core/refs';
import { recordChange } from '../audit/audit-log';
import { addAdmin, listAdmins, removeAdmin } from '../storage/admins-repository';

/**
 * Workspace admins: people who may change anything in a workspace (resolve any escalation, edit any
 * stand-up or rotation). Named in configuration (`STEADY_ADMINS`) or added by command; while a
 * workspace has none at all, the first person to add one may do so (and is told).
 */
export class WorkspaceAdmins {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    /** From configuration: `workspaceId/userId`, or a bare `userId` for that id in any workspace. */
    private readonly configured: readonly string[],
  ) {}

  async isAdmin(actor: Actor): Promise<boolean> {
    if (this.isConfigured(actor)) return true;
    const stored = await listAdmins(this.db, actor.workspaceId);
    return stored.some((a) => a.userId === actor.userId);
  }

  /** Stored and configured admins of a workspace (configured bare ids cannot be listed per workspace). */
  async list(workspaceId: string): Promise<{ userId: string; source: 'configuration' | 'command' }[]> {
    const fromConfig = this.configured
      .filter((entry) => entry.startsWith(`${workspaceId}/`))
      .map((entry) => ({ userId: entry.slice(workspaceId.length + 1), source: 'configuration' as const }));
    const stored = (await listAdmins(this.db, workspaceId)).map((a) => ({ userId: a.userId, source: 'command' as const }));
    return [...fromConfig, ...stored.filter((s) => !fromConfig.some((c) => c.userId === s.userId))];
  }

  /** Whether `actor` may add or remove admins: an admin, or anyone while the workspace has none. */
  async mayManage(actor: Actor): Promise<{ allowed: boolean; bootstrap: boolean }> {
    if (await this.isAdmin(actor)) return { allowed: true, bootstrap: false };
    const none = (await this.list(actor.workspaceId)).length === 0 && !this.configured.some((c) => !c.includes('/'));
    return { allowed: none, bootstrap: none };
  }

  /** Adds an admin and records it in the audit trail, together; false when they already were one. */
  add(by: Actor, userId: string): Promise<boolean> {
    const now = this.clock.now();
    return this.db.transaction().execute(async (trx) => {
      const added = await addAdmin(trx, by.workspaceId, userId, by.userId, now);
      if (added)
        await recordChange(trx, by, now, { action: 'admin.added', subject: userId, before: { admin: false }, after: { admin: true } });
      return added;
    });
  }

  /** Removes an admin and records it in the audit trail, together; false when they were not one. */
  remove(by: Actor, userId: string): Promise<boolean> {
    const now = this.clock.now();
    return this.db.transaction().execute(async (trx) => {
      const removed = await removeAdmin(trx, by.workspaceId, userId);
      if (removed)
        await recordChange(trx, by, now, { action: 'admin.removed', subject: userId, before: { admin: true }, after: { admin: false } });
      return removed;
    });
  }

  private isConfigured(actor: Actor): boolean {
    return this.configured.includes(`${actor.workspaceId}/${actor.userId}`) || this.configured.includes(actor.userId);
  }
}
