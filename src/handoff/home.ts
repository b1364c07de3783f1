import { actions, section, type Block } from '../core/message';
import type { Actor } from '../core/refs';
import { bold, time, user, type Span } from '../core/rich-text';
import { findWaitingFor } from '../storage/handoff/handoffs-repository';
import { findRotation, findVersion, rotationIdsInvolving } from '../storage/handoff/rotations-repository';
import { MINUTE_MS } from '../core/duration';
import type { HandoffDeps } from './deps';
import { askButton, confirmButton, writeButton } from './messages/note';
import { loadRotationState } from './on-duty';
import { whoLine } from './reports';

/** A person's part of the home view: who is on in their rotations, and any handoff waiting for them. */
export async function handoffHome(deps: HandoffDeps, actor: Actor): Promise<Block[]> {
  const { db, clock, people } = deps.services;
  const now = clock.now();
  const zone = await people.zoneOf(actor.workspaceId, actor.userId);
  const blocks: Block[] = [];
  const waiting = await findWaitingFor(db, actor.workspaceId, actor.userId, now);
  for (const h of waiting) {
    const rotation = await findRotation(db, h.rotationId);
    const name = rotation?.name ?? 'a rotation';
    if (h.outgoingId === actor.userId && !h.postedAt) {
      // From the reminder on (or once a draft exists): earlier it is not waiting for them yet.
      const version = await findVersion(db, h.versionId);
      const due = h.outgoingEnd.getTime() - (version?.reminderLeadMinutes ?? 30) * MINUTE_MS;
      if (!h.noteWrittenAt && now.getTime() < due) continue;
      blocks.push(
        section([
          'Write your ',
          bold(name),
          ' handoff note for ',
          h.incomingId ? user(h.incomingId) : 'the next shift',
          ': your shift ends ',
          time(h.outgoingEnd, zone, 'time'),
          '.',
        ]),
      );
      blocks.push(actions(writeButton(h)));
    } else if (h.incomingId === actor.userId && h.postedAt && !h.confirmedAt) {
      blocks.push(section(['Confirm the ', bold(name), ' handoff from ', h.outgoingId ? user(h.outgoingId) : 'the last shift', '.']));
      blocks.push(actions(confirmButton(h), askButton(h)));
    }
  }
  for (const id of await rotationIdsInvolving(db, actor.workspaceId, actor.userId)) {
    const state = await loadRotationState(db, id);
    if (!state) continue;
    const line = await whoLine(deps, state, now);
    const parts: Span[] = [bold(state.rotation.name), ': on now ', line.now ? user(line.now.userId) : 'nobody'];
    if (line.next)
      parts.push(' · next ', line.next.duty ? user(line.next.duty.userId) : 'nobody', ' from ', time(line.next.shift.start, zone));
    blocks.push(section(parts));
  }
  if (blocks.length) blocks.unshift(section([bold('Shifts and handoffs')]));
  return blocks;
}
