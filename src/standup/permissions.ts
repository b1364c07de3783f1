import { UserError } from '../core/errors';
import type { Actor } from '../core/refs';
import { user } from '../core/rich-text';
import type { CoreServices } from '../core/services';
import type { Standup } from './model';

/** The creator, the stand-up's admins and workspace admins may change a stand-up. */
export async function mayManage(services: CoreServices, actor: Actor, standup: Standup): Promise<boolean> {
  if (actor.workspaceId !== standup.workspaceId) return false;
  if (actor.userId === standup.creatorId || standup.adminIds.includes(actor.userId)) return true;
  return services.admins.isAdmin(actor);
}

export async function requireManager(services: CoreServices, actor: Actor, standup: Standup, what: string): Promise<void> {
  if (await mayManage(services, actor, standup)) return;
  throw new UserError([
    "Only the stand-up's creator (",
    user(standup.creatorId),
    `), its admins or a workspace admin can ${what} ${standup.name}.`,
  ]);
}
