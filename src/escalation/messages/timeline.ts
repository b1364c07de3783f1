import { channel, italic, time, user, type Span } from '../../core/rich-text';
import type { StoredEvent } from '../model';

const who = (e: StoredEvent): Span => (e.actorId ? user(e.actorId) : 'Steady');

/** One timeline event as a sentence (without its time). */
export function eventText(e: StoredEvent, zone: string): Span[] {
  switch (e.kind) {
    case 'raised': {
      const d = e.data;
      const line: Span[] = ['Raised by ', who(e), `: ${d.severity}, owner `, user(d.ownerId), ', due ', time(new Date(d.dueAt), zone)];
      line.push(d.policy ? `, policy ${d.policy}` : ', no escalation policy');
      if (d.createdBy !== e.actorId) line.push(' (submitted by ', user(d.createdBy), ')');
      if (d.source) line.push(` · ${d.source}`);
      return line;
    }
    case 'notified': {
      const d = e.data;
      const targets: Span[] = [];
      d.users.forEach((u, i) => {
        targets.push(...(i ? [', '] : []), user(u));
      });
      if (d.channel) targets.push(...(targets.length ? [', '] : []), channel(d.channel));
      const line: Span[] = [`Level ${d.level} notified`, d.round > 1 ? ` (round ${d.round})` : '', ': ', ...targets];
      if (d.rotation) line.push(` (on shift in ${d.rotation})`);
      return line;
    }
    case 'skipped':
      return [`Level ${e.data.level} skipped`, e.data.round > 1 ? ` (round ${e.data.round})` : '', ': nobody to notify'];
    case 'exhausted':
      return [
        `Every level of the escalation policy was notified${e.data.rounds > 1 ? ` (${e.data.rounds} rounds)` : ''}; nobody acknowledged`,
      ];
    case 'acknowledged':
      return ['Acknowledged by ', who(e)];
    case 'updated':
      return ['Update from ', who(e), ': ', e.data.text];
    case 'reassigned': {
      const d = e.data;
      if (d.via === 'handoff')
        return ['Handed over from ', user(d.from), ' to ', user(d.to), ' at a shift handoff', d.reason ? `: ${d.reason}` : ''];
      return ['Reassigned from ', user(d.from), ' to ', user(d.to), ' by ', who(e), d.reason ? `: ${d.reason}` : ''];
    }
    case 'due-changed':
      return [
        'Due time changed by ',
        who(e),
        ' from ',
        time(new Date(e.data.from), zone),
        ' to ',
        time(new Date(e.data.to), zone),
        `: ${e.data.reason}`,
      ];
    case 'reminded':
      return ['Owner reminded: due ', time(new Date(e.data.dueAt), zone)];
    case 'overdue':
      return ['Overdue: it was due ', time(new Date(e.data.dueAt), zone)];
    case 'chased':
      return [`Owner chased (reminder ${e.data.n} since it went overdue)`];
    case 'escalated':
      return [`Escalated to level ${e.data.level} because it is overdue`];
    case 'resolved':
      return ['Resolved by ', who(e), e.data.late ? ' (after the due time)' : '', ': ', italic(e.data.resolution)];
    case 'cancelled':
      return ['Cancelled by ', who(e), `: ${e.data.reason}`];
    case 'reopened':
      return ['Reopened by ', who(e), `: ${e.data.reason}; due `, time(new Date(e.data.dueAt), zone)];
  }
}

/** "Mon, 30 Nov 2026, 10:15 CET · Level 2 notified: @dave" */
export function timelineLine(e: StoredEvent, zone: string): Span[] {
  return [time(e.at, zone), ' · ', ...eventText(e, zone)];
}
