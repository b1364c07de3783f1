import { UserError } from '../core/errors';
import type { Actor } from '../core/refs';
import { user, type Span } from '../core/rich-text';
import type { WorkspaceAdmins } from './workspace-admins';

/** What only workspace admins may do; anyone else is told who to ask, by mention. */
export async function requireAdmin(admins: WorkspaceAdmins, actor: Actor, what: string): Promise<void> {
  if (await admins.isAdmin(actor)) return;
  const list = await admins.list(actor.workspaceId);
  const ask: Span[] =
    list.length === 0
      ? [' This workspace has no admins yet: the first can be added by anyone with /steady admins add @name.']
      : [' Ask one of them: ', ...list.slice(0, 5).flatMap((a, i) => [...(i ? [', '] : []), user(a.userId)]), '.'];
  throw new UserError([`Only workspace admins can ${what}.`, ...ask]);
}
