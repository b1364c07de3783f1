import type { Logger } from 'pino';
import { errorMessage } from './errors';
import { divider, type Block, type Message } from './message';
import type { Actor } from './refs';
import type { Workflow } from './workflow';

/**
 * A person's home view: each workflow's part in the order the workflows are listed, divided. A part
 * that fails is left out and logged, so one workflow's fault does not blank the whole view.
 */
export async function homeView(workflows: readonly Workflow[], actor: Actor, log: Logger): Promise<Message> {
  const blocks: Block[] = [];
  for (const workflow of workflows) {
    if (!workflow.home) continue;
    try {
      const section = await workflow.home(actor);
      if (section.length && blocks.length) blocks.push(divider);
      blocks.push(...section);
    } catch (err) {
      log.error(
        { workspace: actor.workspaceId, user: actor.userId, workflow: workflow.name, err: errorMessage(err) },
        'home section failed',
      );
    }
  }
  if (blocks.length === 0) blocks.push({ type: 'section', text: 'Nothing needs you right now. Try /steady help to see what Steady does.' });
  return { blocks, fallback: 'Your Steady home' };
}
