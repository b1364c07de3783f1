import { PlatformError } from '../core/errors';
import type { OnShiftApi } from '../handoff/api';
import type { PeopleDirectory } from '../people/people-directory';
import type { PolicyLevel, ResolvedTargets } from './model';

/**
 * Who a policy level reaches right now: its people who are still members of the workspace, its
 * channel, and whoever is on shift in its rotation at this instant. Called outside any transaction
 * (it asks the platform and the handoff workflow).
 */
export async function resolveTargets(
  deps: { readonly people: PeopleDirectory; readonly onShift: () => OnShiftApi },
  workspaceId: string,
  level: PolicyLevel,
  at: Date,
): Promise<ResolvedTargets & { rotation?: string }> {
  const candidates = [...level.users];
  if (level.rotationId) candidates.push(...(await deps.onShift().onShift(workspaceId, level.rotationId, at)));
  const users: string[] = [];
  for (const userId of new Set(candidates)) {
    // A platform that is briefly unavailable must not make a level look empty: let the job retry.
    const person = await deps.people.get(workspaceId, userId).catch((err: unknown) => {
      if (err instanceof PlatformError && err.retryable) throw err;
      return undefined;
    });
    if (person && !person.deleted && !person.isBot) users.push(userId);
  }
  return {
    users,
    ...(level.channel ? { channel: level.channel } : {}),
    ...(level.rotationId ? { rotation: level.rotationName ?? 'the rotation' } : {}),
  };
}
