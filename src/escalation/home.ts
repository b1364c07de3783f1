import { actions, button, section, type Block, type Button } from '../core/message';
import type { Actor } from '../core/refs';
import { bold, type Span } from '../core/rich-text';
import { listActiveEscalations, listAwaitingAcknowledgement } from '../storage/escalation/escalations-repository';
import type { EscalationDeps } from './deps';
import { listLine } from './messages/card';
import { ACTIONS } from './messages/parts';
import type { Escalation } from './model';

const SHOWN = 10;

/**
 * The home view's part: first what the escalation policy has paged the person for and nobody has
 * acknowledged yet (what an on-call person looks for first), then the open escalations they own
 * and raised. Each escalation is listed once, in the first group it belongs to.
 */
export async function escalationHome(deps: EscalationDeps, actor: Actor): Promise<Block[]> {
  const { db, people, clock } = deps.services;
  const [waiting, mine] = await Promise.all([
    listAwaitingAcknowledgement(db, actor.workspaceId, actor.userId),
    listActiveEscalations(db, actor.workspaceId, { kind: 'mine', userId: actor.userId }),
  ]);
  if (waiting.length === 0 && mine.length === 0) return [];
  const zone = await people.zoneOf(actor.workspaceId, actor.userId);
  const now = clock.now();
  const paged = new Set(waiting.map((e) => e.id));
  const rest = mine.filter((e) => !paged.has(e.id));
  const owned = rest.filter((e) => e.ownerId === actor.userId);
  const raised = rest.filter((e) => e.ownerId !== actor.userId);
  const blocks: Block[] = [];
  const group = (title: string, items: Escalation[], allOf: string, buttonsFor: (e: Escalation) => Button[]) => {
    if (items.length === 0) return;
    const heading: Span[] = [bold(title)];
    if (items.length > SHOWN) heading.push(` (${SHOWN} of ${items.length}; ${allOf} shows all)`);
    blocks.push(section(heading));
    for (const e of items.slice(0, SHOWN)) {
      blocks.push(section(listLine(e, zone, now)));
      blocks.push(actions(...buttonsFor(e)));
    }
  };
  group('Waiting for your acknowledgement', waiting, '/escalate list', (e) => [
    button('Acknowledge', ACTIONS.ack, e.id, 'primary'),
    button('View', ACTIONS.view, e.id),
  ]);
  group('Escalations you own', owned, '/escalate list mine', (e) => [
    ...(e.status === 'open' ? [button('Acknowledge', ACTIONS.ack, e.id, 'primary')] : []),
    button('Add update', ACTIONS.update, e.id),
    button('Change due', ACTIONS.due, e.id),
    button('Resolve', ACTIONS.resolve, e.id),
    button('View', ACTIONS.view, e.id),
  ]);
  group('Escalations you raised', raised, '/escalate list mine', (e) => [
    button('Add update', ACTIONS.update, e.id),
    button('Reassign', ACTIONS.reassign, e.id),
    button('View', ACTIONS.view, e.id),
  ]);
  return blocks;
}
