import type { Executor } from '../../../db/schema';
import { findWorkspace, updateWorkspaceSettings } from '../people-repository';

/** A decision recorded on an escalation: its resolution, with who owned it. */
export interface DecisionRow {
  readonly number: number;
  readonly title: string;
  readonly decision: string;
  readonly ownerId: string;
  readonly resolvedAt: Date;
}

/** Escalations resolved in [from, to) with the decision or resolution recorded, in the order they were resolved. */
export async function decisionsBetween(db: Executor, workspaceId: string, from: Date, to: Date): Promise<DecisionRow[]> {
  const rows = await db
    .selectFrom('escalations')
    .select(['number', 'title', 'resolution', 'owner_id', 'resolved_at'])
    .where('workspace_id', '=', workspaceId)
    .where('status', '=', 'resolved')
    .where('resolved_at', '>=', from)
    .where('resolved_at', '<', to)
    .orderBy('resolved_at')
    .orderBy('number')
    .execute();
  return rows.map((r) => ({
    number: r.number,
    title: r.title,
    decision: r.resolution ?? '',
    ownerId: r.owner_id,
    resolvedAt: r.resolved_at!,
  }));
}

/** The weekly digest's settings as stored in the workspace's settings (`digest`), unread: the caller validates them. */
export async function loadDigestSettingsJson(db: Executor, workspaceId: string): Promise<unknown> {
  const workspace = await findWorkspace(db, workspaceId);
  return workspace?.settings.digest;
}

export async function saveDigestSettingsJson(db: Executor, workspaceId: string, settings: Record<string, unknown>): Promise<void> {
  await updateWorkspaceSettings(db, workspaceId, { digest: settings });
}
