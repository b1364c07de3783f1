import { UserError } from '../core/errors';
import { findStandupByName } from '../storage/standup/standups-repository';
import type { StandupDeps } from './deps';
import type { Standup } from './model';

/** A stand-up by the name typed after a command; an unknown name says how to find the right one. */
export async function standupNamed(deps: StandupDeps, workspaceId: string, typed: string, usage: string): Promise<Standup> {
  const name = typed.trim().replace(/^["“”']+|["“”']+$/g, '');
  if (!name) throw new UserError(`Which stand-up? ${usage} (/standup list shows them).`);
  const standup = await findStandupByName(deps.services.db, workspaceId, name);
  if (!standup)
    throw new UserError(`There is no stand-up called "${name.slice(0, 80)}". /standup list shows the stand-ups of this workspace.`);
  return standup;
}
