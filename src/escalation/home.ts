import { actions, button, section, type Block, type Button } from '../core/message';
import type { Actor } from '../core/refs';
import { bold, type Span } from '../core/rich-text';
import { listActiveEscalations } from '../storage/escalation-repository';
import type { EscalationDeps } from './deps';
import { listLine } from './messages/card';
import { ACTIONS } from './messages/parts';
import type { Escalation } from './model';

const SHOWN = 10;

/** The home view's part: the person's open escalations, owned and raised, with their buttons. */
export async function escalationHome(deps: EscalationDeps, actor: Actor): Promise<Block[]> {
  const { db, people, clock } = deps.services;
  const mine = await listActiveEscalations(db, actor.workspaceId, { kind: 'mine', userId: actor.userId });
  if (mine.length === 0) return [];
  const zone = await people.zoneOf(actor.workspaceId, actor.userId);
  const now = clock.now();
  const owned = mine.filter((e) => e.ownerId === actor.userId);
  const raised = mine.filter((e) => e.ownerId !== actor.userId);
  const blocks: Block[] = [];
  const group = (title: string, items: Escalation[], buttonsFor: (e: Escalation) => Button[]) => {
    if (items.length === 0) return;
    const heading: Span[] = [bold(title)];
    if (items.length > SHOWN) heading.push(` (${SHOWN} of ${items.length}; /escalate list mine shows all)`);
    blocks.push(section(heading));
    for (const e of items.slice(0, SHOWN)) {
      blocks.push(section(listLine(e, zone, now)));
      blocks.push(actions(...buttonsFor(e)));
    }
  };
  group('Escalations you own', owned, (e) => [
    ...(e.status === 'open' ? [button('Acknowledge', ACTIONS.ack, e.id, 'primary')] : []),
    button('Add update', ACTIONS.update, e.id),
    button('Change due', ACTIONS.due, e.id),
    button('Resolve', ACTIONS.resolve, e.id),
    button('View', ACTIONS.view, e.id),
  ]);
  group('Escalations you raised', raised, (e) => [button('Add update', ACTIONS.update, e.id), button('Reassign', ACTIONS.reassign, e.id), button('View', ACTIONS.view, e.id)]);
  return blocks;
}
