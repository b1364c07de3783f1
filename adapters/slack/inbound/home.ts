import type { App } from '@slack/bolt';
import { errorMessage } from '../../../src/core/errors';
import { workspaceId } from '../refs';
import type { InboundDeps } from './context';
import { appHomeOpened, eventEnvelope } from './payloads';

/** The App Home tab: drawn from the core's home view each time it is opened. */
export function listenToHome(app: App, deps: InboundDeps): void {
  app.event('app_home_opened', async ({ event, body }) => {
    const parsed = appHomeOpened.safeParse(event);
    const envelope = eventEnvelope.safeParse(body);
    if (!parsed.success || !envelope.success) {
      deps.log.warn('unreadable app_home_opened event; ignored');
      return;
    }
    if (parsed.data.tab && parsed.data.tab !== 'home') return;
    await deps.work.run('home', async () => {
      const actor = { workspaceId: workspaceId(envelope.data.team_id), userId: parsed.data.user };
      await deps.steady.people.noticed(actor);
      await refreshHome(deps, envelope.data.team_id, parsed.data.user);
    });
  });
}

/** Redraws a person's App Home; a failure is logged, not shown (the tab keeps its last view). */
export async function refreshHome(deps: InboundDeps, teamId: string, userId: string): Promise<void> {
  const actor = { workspaceId: workspaceId(teamId), userId };
  try {
    const home = await deps.steady.dispatcher.home(actor);
    const zone = await deps.steady.people.zoneOf(actor.workspaceId, userId);
    await deps.platform.publishHome(teamId, userId, home, deps.clock.now(), zone);
  } catch (err) {
    deps.log.error({ workspace: actor.workspaceId, user: userId, err: errorMessage(err) }, 'could not draw the App Home');
  }
}
